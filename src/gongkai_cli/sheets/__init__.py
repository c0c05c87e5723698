"""The office's own spreadsheets: reading a catalog's 公开时限 phrases, importing and exporting workbooks."""
