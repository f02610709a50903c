/* xlsxread.c - see xlsxread.h */
#include "xlsxread.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <zip.h>

#define XR_NAME_MAX     128                  /* a sheet's name (Excel: 31 characters) */
#define XR_TARGET_MAX   256                  /* a part's name */
#define XR_CELL_MAX     (32767 * 4)          /* Excel's 32,767 characters, in UTF-8 bytes */
#define XR_CHUNK        65536
#define XR_MAX_ROW      1048576u             /* Excel's rows and columns */
#define XR_MAX_COL      16384u

/* A growable byte buffer. */
struct xr_buf {
	char *s;
	size_t len, cap;
};

static int xr_buf_add(struct xr_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *ns;

		while (cap < b->len + n + 1)
			cap *= 2;
		if ((ns = realloc(b->s, cap)) == NULL)
			return -1;
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

/* ---- the reader and its SAX driver ---- */

struct xr;

/* One part's handlers; local is the element's name without its namespace. */
struct xr_part {
	void (*start)(struct xr *x, const char *local, const char **attrs);
	void (*end)(struct xr *x, const char *local);
};

struct xr {
	zip_t *za;
	const struct xlsx_limits *lim;
	size_t inflated;
	enum xlsx_status status;
	char *why;
	size_t whylen;
	XML_Parser xp;
	const struct xr_part *part;
	unsigned depth;
	int collect;                             /* character data goes to text */
	struct xr_buf text;

	/* workbook and its relationships */
	const char *want;
	char first_id[XR_NAME_MAX], first_name[XR_NAME_MAX];
	char want_id[XR_NAME_MAX], want_name[XR_NAME_MAX];
	size_t nsheets;
	const char *sheet_id;                    /* the chosen sheet's r:id */
	char sheet_target[XR_TARGET_MAX], strings_target[XR_TARGET_MAX];

	/* shared strings: strings[i] is an offset into pool */
	struct xr_buf pool;
	size_t *strings, nstrings, capstrings;
	int in_si, in_rph;

	/* the sheet */
	int in_data, in_cell, in_is;
	uint32_t row, last_row, col, last_col;
	int have_cell_value;
	char cell_t[12];
	struct xr_buf rowtext;                   /* this row's cell texts, NUL-separated */
	struct { uint32_t col; enum xlsx_type type; size_t at; } *cells;
	size_t ncells, capcells;
	xlsx_row_fn fn;
	void *arg;
};

static void xr_fail(struct xr *x, enum xlsx_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Record the first failure and stop the parser (when one is running). */
static void xr_fail(struct xr *x, enum xlsx_status st, const char *fmt, ...)
{
	va_list ap;

	if (x->status != XLSX_OK)
		return;
	x->status = st;
	va_start(ap, fmt);
	vsnprintf(x->why, x->whylen, fmt, ap);
	va_end(ap);
	if (x->xp != NULL)
		XML_StopParser(x->xp, XML_FALSE);
}

static void xr_nomem(struct xr *x)
{
	xr_fail(x, XLSX_NOMEM, "out of memory reading the workbook");
}

/* The local part of an expat name "namespace|local". */
static const char *xr_local(const char *name)
{
	const char *bar = strrchr(name, '|');

	return bar != NULL ? bar + 1 : name;
}

/* The attribute with this local name (NULL: none). ns: the attribute must have a
 * namespace (r:id), else it must have none (r, t). */
static const char *xr_attr(const char **attrs, const char *local, int ns)
{
	for (size_t i = 0; attrs[i] != NULL; i += 2) {
		const char *bar = strrchr(attrs[i], '|');

		if ((bar != NULL) == (ns != 0) && strcmp(bar != NULL ? bar + 1 : attrs[i], local) == 0)
			return attrs[i + 1];
	}
	return NULL;
}

static void XMLCALL xr_on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
	struct xr *x = ud;

	if (x->status != XLSX_OK)
		return;
	if (++x->depth > x->lim->max_depth) {
		xr_fail(x, XLSX_MALFORMED, "the workbook's XML is nested more than %u deep", x->lim->max_depth);
		return;
	}
	x->part->start(x, xr_local(name), attrs);
}

static void XMLCALL xr_on_end(void *ud, const XML_Char *name)
{
	struct xr *x = ud;

	if (x->status != XLSX_OK)
		return;
	x->depth--;
	if (x->part->end != NULL)
		x->part->end(x, xr_local(name));
}

static void XMLCALL xr_on_text(void *ud, const XML_Char *s, int n)
{
	struct xr *x = ud;

	if (x->status != XLSX_OK || !x->collect)
		return;
	if (x->text.len + (size_t)n > XR_CELL_MAX) {
		xr_fail(x, XLSX_TOO_BIG, "a cell of the workbook holds more than 32,767 characters");
		return;
	}
	if (xr_buf_add(&x->text, s, (size_t)n) != 0)
		xr_nomem(x);
}

static void XMLCALL xr_on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
				  int internal)
{
	(void)name, (void)sysid, (void)pubid, (void)internal;
	xr_fail(ud, XLSX_MALFORMED, "the workbook's XML has a document type declaration, which a workbook never has");
}

static void XMLCALL xr_on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value, int len,
				 const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid,
				 const XML_Char *notation)
{
	(void)name, (void)param, (void)value, (void)len, (void)base, (void)sysid, (void)pubid, (void)notation;
	xr_fail(ud, XLSX_MALFORMED, "the workbook's XML declares an entity, which a workbook never does");
}

/* Parse the archive's part with this name through part. Returns 1 when the part
 * is missing (nothing done), 0 read, -1 failed (x->status set). */
static int xr_read_part(struct xr *x, const char *name, const struct xr_part *part)
{
	zip_int64_t idx = zip_name_locate(x->za, name, ZIP_FL_NOCASE), n;
	zip_file_t *zf;
	char *chunk = NULL;
	int rc = -1;

	if (idx < 0)
		return 1;
	if ((zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0)) == NULL) {
		xr_fail(x, XLSX_MALFORMED, "the workbook's part %s cannot be read (encrypted, or compressed in a "
			"way Excel does not use)", name);
		return -1;
	}
	if ((x->xp = XML_ParserCreateNS(NULL, '|')) == NULL || (chunk = malloc(XR_CHUNK)) == NULL) {
		xr_nomem(x);
		goto out;
	}
	XML_SetUserData(x->xp, x);
	XML_SetElementHandler(x->xp, xr_on_start, xr_on_end);
	XML_SetCharacterDataHandler(x->xp, xr_on_text);
	XML_SetStartDoctypeDeclHandler(x->xp, xr_on_doctype);
	XML_SetEntityDeclHandler(x->xp, xr_on_entity);
	x->part = part;
	x->depth = 0;
	x->collect = 0;
	do {
		if ((n = zip_fread(zf, chunk, XR_CHUNK)) < 0) {
			xr_fail(x, XLSX_MALFORMED, "the workbook's part %s is damaged (%s)", name,
				zip_error_strerror(zip_file_get_error(zf)));
			goto out;
		}
		if ((x->inflated += (size_t)n) > x->lim->max_inflated) {
			xr_fail(x, XLSX_TOO_BIG, "the workbook unpacks to more than %zu bytes", x->lim->max_inflated);
			goto out;
		}
		if (XML_Parse(x->xp, chunk, (int)n, n == 0) != XML_STATUS_OK) {
			if (x->status == XLSX_OK)
				xr_fail(x, XLSX_MALFORMED, "the workbook's part %s is not well-formed XML (line %lu: %s)",
					name, (unsigned long)XML_GetCurrentLineNumber(x->xp),
					XML_ErrorString(XML_GetErrorCode(x->xp)));
			goto out;
		}
		if (x->status != XLSX_OK)
			goto out;
	} while (n > 0);
	rc = 0;
out:
	if (x->xp != NULL)
		XML_ParserFree(x->xp);
	x->xp = NULL;
	free(chunk);
	zip_fclose(zf);
	return rc;
}

/* ---- xl/workbook.xml: the sheets ---- */

static void wb_start(struct xr *x, const char *local, const char **attrs)
{
	const char *name, *id;

	if (strcmp(local, "sheet") != 0 || (name = xr_attr(attrs, "name", 0)) == NULL ||
	    (id = xr_attr(attrs, "id", 1)) == NULL)
		return;
	if (x->nsheets++ == 0) {
		snprintf(x->first_name, sizeof(x->first_name), "%s", name);
		snprintf(x->first_id, sizeof(x->first_id), "%s", id);
	}
	if (x->want != NULL && x->want_id[0] == '\0' && strcasecmp(name, x->want) == 0) {
		snprintf(x->want_name, sizeof(x->want_name), "%s", name);
		snprintf(x->want_id, sizeof(x->want_id), "%s", id);
	}
}

static const struct xr_part wb_part = { wb_start, NULL };

/* A relationship's target as the archive's name: "worksheets/sheet1.xml" is
 * relative to xl/, "/xl/worksheets/sheet1.xml" absolute. */
static void rels_target(char *out, size_t len, const char *target)
{
	if (target[0] == '/')
		snprintf(out, len, "%s", target + 1);
	else
		snprintf(out, len, "xl/%s", strncmp(target, "./", 2) == 0 ? target + 2 : target);
}

static void rels_start(struct xr *x, const char *local, const char **attrs)
{
	const char *id, *target, *type;
	size_t n;

	if (strcmp(local, "Relationship") != 0 || (id = xr_attr(attrs, "Id", 0)) == NULL ||
	    (target = xr_attr(attrs, "Target", 0)) == NULL)
		return;
	type = xr_attr(attrs, "Type", 0);
	if (strcmp(id, x->sheet_id) == 0)
		rels_target(x->sheet_target, sizeof(x->sheet_target), target);
	if (type != NULL && (n = strlen(type)) >= 14 && strcmp(type + n - 14, "/sharedStrings") == 0)
		rels_target(x->strings_target, sizeof(x->strings_target), target);
}

static const struct xr_part rels_part = { rels_start, NULL };

/* ---- the shared strings ---- */

static void sst_start(struct xr *x, const char *local, const char **attrs)
{
	(void)attrs;
	if (strcmp(local, "si") == 0) {
		x->in_si = 1;
		x->in_rph = 0;
		x->text.len = 0;
		if (x->text.s != NULL)
			x->text.s[0] = '\0';
	} else if (strcmp(local, "rPh") == 0) {
		x->in_rph++;
	} else if (strcmp(local, "t") == 0 && x->in_si && x->in_rph == 0) {
		x->collect = 1;
	}
}

static void sst_end(struct xr *x, const char *local)
{
	if (strcmp(local, "t") == 0) {
		x->collect = 0;
	} else if (strcmp(local, "rPh") == 0) {
		x->in_rph--;
	} else if (strcmp(local, "si") == 0 && x->in_si) {
		x->in_si = 0;
		if (x->nstrings == x->lim->max_strings) {
			xr_fail(x, XLSX_TOO_BIG, "the workbook has more than %zu shared strings", x->lim->max_strings);
			return;
		}
		if (x->nstrings == x->capstrings) {
			size_t cap = x->capstrings ? x->capstrings * 2 : 256;
			size_t *ns = realloc(x->strings, cap * sizeof(*ns));

			if (ns == NULL) {
				xr_nomem(x);
				return;
			}
			x->strings = ns;
			x->capstrings = cap;
		}
		x->strings[x->nstrings++] = x->pool.len;
		if (xr_buf_add(&x->pool, x->text.s != NULL ? x->text.s : "", x->text.len + 1) != 0)
			xr_nomem(x);
	}
}

static const struct xr_part sst_part = { sst_start, sst_end };

/* ---- the sheet ---- */

/* "BC12" -> column 55, 1-based (B=2, C=3: 2*26+3); 0 when no letters. */
static uint32_t cell_col(const char *ref)
{
	uint32_t col = 0;

	for (; *ref >= 'A' && *ref <= 'Z'; ref++) {
		col = col * 26 + (uint32_t)(*ref - 'A' + 1);
		if (col > XR_MAX_COL)
			return XR_MAX_COL + 1;
	}
	return col;
}

static void sheet_start(struct xr *x, const char *local, const char **attrs)
{
	const char *v;

	if (strcmp(local, "sheetData") == 0) {
		x->in_data = 1;
	} else if (!x->in_data) {
		return;
	} else if (strcmp(local, "row") == 0) {
		unsigned long r = x->last_row + 1;

		if ((v = xr_attr(attrs, "r", 0)) != NULL && (r = strtoul(v, NULL, 10)) <= x->last_row) {
			xr_fail(x, XLSX_MALFORMED, "the sheet's row %s comes after row %u", v, x->last_row);
			return;
		}
		if (r > XR_MAX_ROW) {
			xr_fail(x, XLSX_MALFORMED, "the sheet has a row past Excel's last, %u", XR_MAX_ROW);
			return;
		}
		x->row = (uint32_t)r;
		x->last_col = 0;
		x->ncells = 0;
		x->rowtext.len = 0;
	} else if (strcmp(local, "c") == 0) {
		uint32_t c = x->last_col + 1;

		if ((v = xr_attr(attrs, "r", 0)) != NULL && (c = cell_col(v)) <= x->last_col) {
			xr_fail(x, XLSX_MALFORMED, "the sheet's cell %s (row %u) is out of order", v, x->row);
			return;
		}
		if (c > XR_MAX_COL) {
			xr_fail(x, XLSX_MALFORMED, "the sheet has a cell past Excel's last column");
			return;
		}
		x->col = c;
		x->in_cell = 1;
		x->have_cell_value = 0;
		snprintf(x->cell_t, sizeof(x->cell_t), "%s", (v = xr_attr(attrs, "t", 0)) != NULL ? v : "n");
		x->text.len = 0;
		if (x->text.s != NULL)
			x->text.s[0] = '\0';
	} else if (x->in_cell && strcmp(local, "v") == 0) {
		x->collect = 1;
		x->have_cell_value = 1;
	} else if (x->in_cell && strcmp(local, "is") == 0) {
		x->in_is = 1;
		x->in_rph = 0;
		x->have_cell_value = 1;
	} else if (x->in_is && strcmp(local, "rPh") == 0) {
		x->in_rph++;
	} else if (x->in_is && x->in_rph == 0 && strcmp(local, "t") == 0) {
		x->collect = 1;
	}
}

/* The finished cell into the row. */
static void sheet_cell(struct xr *x)
{
	const char *t = x->cell_t, *text = x->text.s != NULL ? x->text.s : "";
	enum xlsx_type type = XLSX_TEXT;
	size_t at = x->rowtext.len;

	if (!x->have_cell_value)
		return;
	if (strcmp(t, "s") == 0) {
		char *end;
		unsigned long i = strtoul(text, &end, 10);

		if (end == text || *end != '\0' || i >= x->nstrings) {
			xr_fail(x, XLSX_MALFORMED, "the sheet's cell in row %u names shared string \"%.20s\", which "
				"the workbook does not have", x->row, text);
			return;
		}
		text = x->pool.s + x->strings[i];
	} else if (strcmp(t, "n") == 0) {
		type = XLSX_NUMBER;
	} else if (strcmp(t, "b") == 0) {
		type = XLSX_BOOL;
	} else if (strcmp(t, "e") == 0) {
		type = XLSX_ERROR;
	} else if (strcmp(t, "str") != 0 && strcmp(t, "inlineStr") != 0 && strcmp(t, "d") != 0) {
		xr_fail(x, XLSX_MALFORMED, "the sheet's cell in row %u has the unknown type \"%s\"", x->row, t);
		return;
	}
	if (x->ncells == x->capcells) {
		size_t cap = x->capcells ? x->capcells * 2 : 16;
		void *nc = realloc(x->cells, cap * sizeof(*x->cells));

		if (nc == NULL) {
			xr_nomem(x);
			return;
		}
		x->cells = nc;
		x->capcells = cap;
	}
	if (xr_buf_add(&x->rowtext, text, strlen(text) + 1) != 0) {
		xr_nomem(x);
		return;
	}
	x->cells[x->ncells].col = x->col - 1;
	x->cells[x->ncells].type = type;
	x->cells[x->ncells].at = at;
	x->ncells++;
}

static void sheet_row(struct xr *x)
{
	struct xlsx_cell *cells;

	x->last_row = x->row;
	if (x->ncells == 0)
		return;
	if ((cells = malloc(x->ncells * sizeof(*cells))) == NULL) {
		xr_nomem(x);
		return;
	}
	for (size_t i = 0; i < x->ncells; i++)
		cells[i] = (struct xlsx_cell){ x->cells[i].col, x->cells[i].type, x->rowtext.s + x->cells[i].at };
	if (x->fn(x->arg, x->row, cells, x->ncells) != 0)
		xr_fail(x, XLSX_STOPPED, "stopped");
	free(cells);
}

static void sheet_end(struct xr *x, const char *local)
{
	if (!x->in_data)
		return;
	if (strcmp(local, "v") == 0 || strcmp(local, "t") == 0) {
		x->collect = 0;
	} else if (strcmp(local, "rPh") == 0 && x->in_is) {
		x->in_rph--;
	} else if (strcmp(local, "is") == 0) {
		x->in_is = 0;
	} else if (strcmp(local, "c") == 0 && x->in_cell) {
		x->in_cell = 0;
		x->last_col = x->col;
		sheet_cell(x);
	} else if (strcmp(local, "row") == 0) {
		sheet_row(x);
	} else if (strcmp(local, "sheetData") == 0) {
		x->in_data = 0;
	}
}

static const struct xr_part sheet_part = { sheet_start, sheet_end };

/* ---- the workbook ---- */

static enum xlsx_status xr_open(struct xr *x, const void *buf, size_t len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_int64_t n;

	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(buf, len, 0, &ze)) == NULL) {
		zip_error_fini(&ze);
		xr_nomem(x);
		return x->status;
	}
	if ((x->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)) == NULL) {
		zip_source_free(src);
		if (zip_error_code_zip(&ze) == ZIP_ER_MEMORY)
			xr_nomem(x);
		else
			xr_fail(x, XLSX_NOT_ZIP, "the file is not an Excel workbook (.xlsx): it is not a zip archive%s",
				zip_error_code_zip(&ze) == ZIP_ER_NOZIP ? "" : " that can be read");
		zip_error_fini(&ze);
		return x->status;
	}
	zip_error_fini(&ze);
	if ((n = zip_get_num_entries(x->za, 0)) < 0 || (size_t)n > x->lim->max_entries)
		xr_fail(x, XLSX_TOO_BIG, "the workbook has more than %zu parts", x->lim->max_entries);
	return x->status;
}

enum xlsx_status xlsxread_rows(const void *buf, size_t len, const char *want, const struct xlsx_limits *lim,
			       xlsx_row_fn fn, void *arg, char *sheet, size_t sheetlen, char *why, size_t whylen)
{
	static const char not_workbook[] = "the file is a zip archive but not an Excel workbook (no xl/workbook.xml): "
					   "save it from Excel or LibreOffice as .xlsx";
	struct xr x = { .lim = lim, .why = why, .whylen = whylen, .want = want, .fn = fn, .arg = arg };
	int rc;

	if (whylen > 0)
		why[0] = '\0';
	if (sheet != NULL && sheetlen > 0)
		sheet[0] = '\0';
	if (xr_open(&x, buf, len) != XLSX_OK)
		goto out;
	if ((rc = xr_read_part(&x, "xl/workbook.xml", &wb_part)) != 0) {
		if (rc > 0)
			xr_fail(&x, XLSX_NOT_WORKBOOK, "%s", not_workbook);
		goto out;
	}
	if (x.nsheets == 0) {
		xr_fail(&x, XLSX_NOT_WORKBOOK, "the workbook has no sheets");
		goto out;
	}
	x.sheet_id = x.want_id[0] != '\0' ? x.want_id : x.first_id;
	if (sheet != NULL)
		snprintf(sheet, sheetlen, "%s", x.want_id[0] != '\0' ? x.want_name : x.first_name);
	if ((rc = xr_read_part(&x, "xl/_rels/workbook.xml.rels", &rels_part)) < 0)
		goto out;
	if (x.sheet_target[0] == '\0') {
		xr_fail(&x, XLSX_NOT_WORKBOOK, "the workbook does not say where its sheet \"%s\" is (%s)",
			x.want_id[0] != '\0' ? x.want_name : x.first_name, rc > 0 ?
			"no xl/_rels/workbook.xml.rels" : "no relationship for it");
		goto out;
	}
	if ((rc = xr_read_part(&x, x.strings_target[0] != '\0' ? x.strings_target : "xl/sharedStrings.xml",
			       &sst_part)) < 0)
		goto out;
	if ((rc = xr_read_part(&x, x.sheet_target, &sheet_part)) > 0)
		xr_fail(&x, XLSX_NOT_WORKBOOK, "the workbook's sheet \"%s\" is missing (%s)",
			x.want_id[0] != '\0' ? x.want_name : x.first_name, x.sheet_target);
out:
	if (x.za != NULL)
		zip_discard(x.za);
	free(x.text.s);
	free(x.pool.s);
	free(x.strings);
	free(x.rowtext.s);
	free(x.cells);
	return x.status;
}
