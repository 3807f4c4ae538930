"""Files in and out: text files, safe XML, TMX, XLIFF/PO, TM files, the output writer, cells."""
