/* libslz (the C original, from HAProxy's source tarball: see cli/build.rs) behind functions whose
 * arguments are plain pointers and integers, called the way HAProxy's compression filter calls
 * it (src/compression.c): for each piece, slz_rfc1952_encode() with more = 1, then
 * slz_rfc1952_flush() for a sync flush; the last piece is encoded with more = 0, then
 * slz_rfc1952_finish().
 *
 * build.rs compiles this file and slz.c with -Dslz_xxx=libslz_xxx for every function slz.h
 * declares, so the calls below reach libslz's functions under their renamed symbols. */

#include <stdint.h>
#include <stdlib.h>
#include <import/slz.h>

/* libslz takes no output length: encode() writes at most the input plus 5 bytes per 32 KiB
 * (a stored block's header) and a few pending bits; flush() at most 19 bytes and finish() at
 * most 22, both counting the 10-byte gzip header when it was not sent yet. HAProxy reserves
 * 20 + 5 * ((len + 32767) >> 15) bytes over the input. This bound is more generous; the caller
 * must give at least this much room, and the bytes written are checked against it. */
size_t slz_libslz_bound(size_t len)
{
	return len + 5 * ((len + 32767) >> 15) + 64;
}

/* Bytes of memory one stream holds between calls: the stream structure. (encode() also uses a
 * 64 KiB reference table on the stack during each call.) */
size_t slz_libslz_stream_bytes(void)
{
	return sizeof(struct slz_stream);
}

/* The CRC-32 of "123456789" by libslz (whose CRCs need no inversion before and after):
 * 0xcbf43926 when its constructor filled the CRC table (the same constructor fills the distance
 * table), something else when it did not run. */
uint32_t slz_libslz_check_value(void)
{
	static const unsigned char check[] = "123456789";

	return slz_crc32_by4(0, check, 9);
}

/* A new gzip stream at `level` (0 or 1), or NULL (other level or out of memory). */
struct slz_stream *slz_libslz_new(int level)
{
	struct slz_stream *s;

	if (level != 0 && level != 1)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	slz_rfc1952_init(s, level);
	return s;
}

/* One piece: `mode` 0 no flush, 1 sync flush, 2 end of stream. Returns the bytes written, -1
 * when `out_len` is below slz_libslz_bound(in_len) (nothing is done), or -2 when libslz wrote
 * more than that bound (it must not). An empty piece is not encoded, as HAProxy does not. */
long slz_libslz_encode(struct slz_stream *s, const unsigned char *in, size_t in_len,
		       unsigned char *out, size_t out_len, int mode)
{
	size_t bound = slz_libslz_bound(in_len);
	long n = 0;

	if (out_len < bound || in_len > 0x7fffffffU)
		return -1;
	if (in_len)
		n += slz_rfc1952_encode(s, out, in, (long)in_len, mode != 2);
	if (mode == 1)
		n += slz_rfc1952_flush(s, out + n);
	else if (mode == 2)
		n += slz_rfc1952_finish(s, out + n);
	if (n < 0 || (size_t)n > bound)
		return -2;
	return n;
}

void slz_libslz_free(struct slz_stream *s)
{
	free(s);
}
