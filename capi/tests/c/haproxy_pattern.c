/*
 * C test of slz's libslz API, run by capi/tests/c_programs.rs:
 *
 *   haproxy_pattern OUTDIR FILE...
 *
 * For every file, format and piece size it compresses the file the way HAProxy 3.4's compression
 * filter does (src/compression.c, src/flt_http_comp.c): per piece, one output buffer with
 * exactly HAProxy's reservation, 20 + 5 * ceil(len / 32768) bytes over the input, followed by
 * guard bytes; slz_encode(more = 1) then slz_flush, or slz_encode(more = 0) then slz_finish for
 * the last piece; `strm->level` poked between calls (HAProxy drops to 0 under CPU pressure).
 * Every stream is decoded with C zlib and compared; the gzip ones are also written to OUTDIR
 * for `gzip -t`. Then the misuse cases: NULL pointers, negative lengths, overlapping buffers,
 * a stream never initialised. Prints "ok N" and exits 0, or says what failed and exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <slz.h>

#define GUARD 64
#define GUARD_BYTE 0xA5

static int checks;

#define CHECK(cond, ...) do {                                          \
	checks++;                                                      \
	if (!(cond)) {                                                 \
		fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, \
		        __LINE__, #cond);                              \
		fprintf(stderr, __VA_ARGS__);                          \
		fputc('\n', stderr);                                   \
		exit(1);                                               \
	}                                                              \
} while (0)

static size_t haproxy_room(size_t len)
{
	return 20 + 5 * ((len + 32767) >> 15);
}

static unsigned char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data;
	long size;

	CHECK(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc(size ? size : 1);
	CHECK(data && fread(data, 1, size, f) == (size_t)size, "cannot read %s", path);
	fclose(f);
	*len = size;
	return data;
}

/* Decodes <len> bytes of <stream> in <format> with C zlib and compares with <orig>. */
static void check_decodes(int format, const unsigned char *stream, size_t len,
                          const unsigned char *orig, size_t orig_len, const char *what)
{
	int wbits = format == SLZ_FMT_GZIP ? 15 + 16 : format == SLZ_FMT_ZLIB ? 15 : -15;
	unsigned char *back = malloc(orig_len + 1);
	z_stream z;
	int ret;

	memset(&z, 0, sizeof(z));
	CHECK(inflateInit2(&z, wbits) == Z_OK, "%s: inflateInit2", what);
	z.next_in = (unsigned char *)stream;
	z.avail_in = len;
	z.next_out = back;
	z.avail_out = orig_len + 1;
	ret = inflate(&z, Z_FINISH);
	CHECK(ret == Z_STREAM_END, "%s: zlib says %d (%s) after %lu of %lu bytes", what, ret,
	      z.msg ? z.msg : "", (unsigned long)z.total_in, (unsigned long)len);
	CHECK(z.total_out == orig_len && memcmp(back, orig, orig_len) == 0,
	      "%s: decoded %lu bytes, expected %lu", what, (unsigned long)z.total_out,
	      (unsigned long)orig_len);
	CHECK(z.avail_in == 0, "%s: %u bytes after the end of the stream", what, z.avail_in);
	inflateEnd(&z);
	free(back);
}

/* One HAProxy-style response: <data> cut in pieces of <piece> bytes (the last one ends the
 * stream), returns the stream (to be freed) and its length in <out_len>. <poke> chooses how
 * the level changes between calls: 0 never, 1 HAProxy's 1 <-> 0, 2 through 0..9.
 */
static unsigned char *compress_like_haproxy(int format, int level, int poke,
                                            const unsigned char *data, size_t len,
                                            size_t piece, size_t *out_len)
{
	struct slz_stream strm;
	unsigned char *stream = malloc(len + haproxy_room(len) * (len / piece + 2));
	size_t pos = 0, total = 0;
	unsigned calls = 0;

	CHECK(slz_init(&strm, level, format) == 0, "init");
	CHECK(strm.format == (format == SLZ_FMT_GZIP || format == SLZ_FMT_ZLIB ? format : SLZ_FMT_DEFLATE),
	      "format field %d", strm.format);
	do {
		size_t n = len - pos < piece ? len - pos : piece;
		int last = pos + n == len;
		size_t room = n + haproxy_room(n);
		unsigned char *buf = malloc(room + GUARD);
		long written;
		size_t i;

		memset(buf + room, GUARD_BYTE, GUARD);
		written = slz_encode(&strm, buf, data + pos, n, !last);
		CHECK(written >= 0, "encode returned %ld", written);
		written += last ? slz_finish(&strm, buf + written) : slz_flush(&strm, buf + written);
		CHECK((size_t)written <= room, "wrote %ld bytes, HAProxy reserved %lu",
		      written, (unsigned long)room);
		for (i = room; i < room + GUARD; i++)
			CHECK(buf[i] == GUARD_BYTE, "byte %lu after the reservation was written",
			      (unsigned long)(i - room));
		memcpy(stream + total, buf, written);
		total += written;
		free(buf);
		pos += n;
		calls++;
		if (poke == 1)
			strm.level = calls % 3 == 2 ? 0 : level;
		else if (poke == 2)
			strm.level = calls % 10;
		CHECK(strm.ilen == (uint32_t)pos, "ilen %u, expected %lu", strm.ilen, (unsigned long)pos);
	} while (pos < len);
	/* After the end: flush and finish write nothing, data is refused. */
	CHECK(slz_finish(&strm, stream + total) == 0, "finish after the end");
	CHECK(slz_flush(&strm, stream + total) == 0, "flush after the end");
	CHECK(slz_encode(&strm, stream + total, data, len ? 1 : 0, 1) == (len ? -1 : 0), "data after the end");
	if (format == SLZ_FMT_GZIP)
		CHECK(strm.crc32 == crc32(0, data, len), "crc32 field");
	else if (format == SLZ_FMT_ZLIB)
		CHECK(strm.crc32 == adler32(1, data, len), "adler32 field");
	*out_len = total;
	return stream;
}

static void write_file(const char *dir, const char *name, const unsigned char *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	CHECK(f && fwrite(data, 1, len, f) == len && fclose(f) == 0, "cannot write %s", path);
}

static void misuse(void)
{
	struct slz_stream strm, garbage;
	unsigned char in[64] = "abcabcabcabcabcabcabcabc", out[256];

	CHECK(slz_rfc1952_init(NULL, 1) == -1, "init NULL");
	CHECK(slz_init(&strm, 1, SLZ_FMT_GZIP) == 0, "init");
	CHECK(slz_rfc1952_encode(NULL, out, in, 10, 1) == -1, "encode NULL stream");
	CHECK(slz_rfc1952_encode(&strm, out, NULL, 10, 1) == -1, "encode NULL input");
	CHECK(slz_rfc1952_encode(&strm, NULL, in, 10, 1) == -1, "encode NULL output");
	CHECK(slz_rfc1952_encode(&strm, out, in, -1, 1) == -1, "encode negative length");
	CHECK(slz_rfc1952_encode(&strm, in + 8, in, 20, 1) == -1, "overlapping buffers");
	CHECK(slz_rfc1952_flush(NULL, out) == -1, "flush NULL stream");
	CHECK(slz_rfc1952_finish(NULL, out) == -1, "finish NULL stream");
	CHECK(slz_rfc1952_send_header(NULL, out) == -1, "send_header NULL stream");
	/* None of the refused calls changed the stream: it still makes a valid one. */
	{
		long n = slz_encode(&strm, out, in, 24, 1);
		n += slz_finish(&strm, out + n);
		check_decodes(SLZ_FMT_GZIP, out, n, in, 24, "after refused calls");
	}
	/* A stream that was never initialised is refused, whatever its bytes. */
	memset(&garbage, 0xff, sizeof(garbage));
	CHECK(slz_encode(&garbage, out, in, 10, 1) == -1, "uninitialised stream (0xff)");
	memset(&garbage, 0, sizeof(garbage));
	CHECK(slz_encode(&garbage, out, in, 10, 1) == -1, "uninitialised stream (0)");
	CHECK(slz_flush(&garbage, out) == -1, "flush uninitialised");
	CHECK(slz_finish(&garbage, out) == -1, "finish uninitialised");
	/* Levels out of libslz's range act as 0 and 9. */
	CHECK(slz_init(&strm, -5, SLZ_FMT_ZLIB) == 0 && strm.level == 0, "negative level");
	CHECK(slz_init(&strm, 1000, SLZ_FMT_ZLIB) == 0 && strm.level == 9, "level 1000");
	strm.level = 200;
	{
		long n = slz_encode(&strm, out, in, 24, 0);
		CHECK(n > 0, "level 200 poked");
		CHECK(slz_finish(&strm, out + n) == 0, "finish after more = 0");
		check_decodes(SLZ_FMT_ZLIB, out, n, in, 24, "level 200");
	}
	/* send_header writes the header once. */
	CHECK(slz_init(&strm, 1, SLZ_FMT_GZIP) == 0, "init");
	CHECK(slz_rfc1952_send_header(&strm, out) == 10, "gzip header");
	CHECK(out[0] == 0x1f && out[1] == 0x8b && out[9] == 3, "gzip header bytes (OS = Unix)");
	CHECK(slz_rfc1952_send_header(&strm, out + 10) == 0, "second gzip header");
	{
		long n = 10 + slz_encode(&strm, out + 10, in, 24, 1);
		n += slz_finish(&strm, out + n);
		check_decodes(SLZ_FMT_GZIP, out, n, in, 24, "header sent first");
	}
	CHECK(slz_init(&strm, 1, SLZ_FMT_ZLIB) == 0 && slz_rfc1950_send_header(&strm, out) == 2, "zlib header");
	/* An empty stream in each format. */
	for (int f = 0; f < 3; f++) {
		long n;
		CHECK(slz_init(&strm, 1, f) == 0, "init");
		CHECK(slz_flush(&strm, out) == 0, "flush with nothing to flush");
		n = slz_finish(&strm, out);
		CHECK(n > 0 && n <= 21, "empty stream of %ld bytes", n);
		check_decodes(f, out, n, in, 0, "empty stream");
	}
	/* The checksum helpers follow zlib's crc32() and adler32(). */
	CHECK(slz_crc32_by1(0, in, 24) == crc32(0, in, 24), "crc32_by1");
	CHECK(slz_crc32_by4(slz_crc32_by4(0, in, 5), in + 5, 19) == crc32(0, in, 24), "crc32_by4");
	CHECK(slz_adler32_by1(1, in, 24) == adler32(1, in, 24), "adler32_by1");
	CHECK(slz_adler32_block(1, in, 24) == adler32(1, in, 24), "adler32_block");
	CHECK(slz_crc32_by1(7, NULL, 5) == 7 && slz_crc32_by1(7, in, -1) == 7, "crc32 misuse");
	CHECK(slz_adler32_block(7, NULL, 5) == 7 && slz_adler32_block(7, in, -1) == 7, "adler32 misuse");
	slz_make_crc_table();
	slz_prepare_dist_table();
}

int main(int argc, char **argv)
{
	static const size_t pieces[] = { 1, 100, 1024, 4096, 16384, 16384 * 3 + 5, 100000, 1 << 30 };
	static const char *names[] = { "gzip", "zlib", "deflate" };
	int a;

	if (argc < 3) {
		fprintf(stderr, "usage: %s OUTDIR FILE...\n", argv[0]);
		return 2;
	}
	CHECK(sizeof(struct slz_stream) == 44, "sizeof(struct slz_stream) = %lu",
	      (unsigned long)sizeof(struct slz_stream));
	misuse();
	for (a = 2; a < argc; a++) {
		size_t len, p;
		unsigned char *data = read_file(argv[a], &len);
		const char *base = strrchr(argv[a], '/') ? strrchr(argv[a], '/') + 1 : argv[a];

		for (p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++) {
			/* Tiny pieces only on a prefix: they cost one call per byte. */
			size_t use = pieces[p] < 100 && len > 20000 ? 20000 : len;
			for (int f = 0; f < 3; f++) {
				int level = (int)((p + f + a) % 10);
				int poke = (int)((p + f) % 3);
				char what[512];
				size_t out_len;
				unsigned char *stream = compress_like_haproxy(f, level, poke, data, use,
				                                              pieces[p], &out_len);

				snprintf(what, sizeof(what), "%s %s piece %lu level %d poke %d", base,
				         names[f], (unsigned long)pieces[p], level, poke);
				check_decodes(f, stream, out_len, data, use, what);
				if (f == SLZ_FMT_GZIP) {
					char name[512];
					snprintf(name, sizeof(name), "%s.%lu.gz", base, (unsigned long)pieces[p]);
					write_file(argv[1], name, stream, out_len);
				}
				free(stream);
			}
		}
		free(data);
	}
	printf("ok %d\n", checks);
	return 0;
}
