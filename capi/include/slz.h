/*
 * slz.h: libslz's C API, implemented in safe Rust by slz's `slz-capi` crate (capi/ in slz's
 * repository). Code written for libslz compiles unchanged against this header and links with
 * libslz_capi.a (or libslz_capi.so) instead of libslz's slz.o.
 *
 * Licensed MIT OR Apache-2.0, like the rest of slz.
 *
 * What differs from libslz, on purpose:
 *  - struct slz_stream holds slz's whole encoder (no pointer, no allocation: embed it by value,
 *    copy it, drop it; there is nothing to free).
 *  - `level` is a whole byte: 0 stores, 1 is libslz's speed class, 2 to 9 compress harder (values
 *    above 9 act as 9). It is read at every call, so changing it between calls (HAProxy drops to
 *    0 under CPU pressure) takes effect on the next call.
 *  - The format is fixed by the init call; every slz_rfc195x_* function acts on the stream's own
 *    format, so calling another format's function never produces a broken stream.
 *  - Misuse returns -1 (a negative length, NULL pointers, input and output overlapping, a stream
 *    that was never initialised, data after the stream was finished) instead of being undefined;
 *    libslz's functions return no error otherwise, and neither do these on valid use.
 *  - slz_rfcXXXX_send_header() writes the header once; a second call returns 0.
 *  - Calling encode with more = 0 ends the stream there (last block and trailer); the finish
 *    call that follows writes nothing and returns 0.
 *
 * Output room (libslz's contract: there is no output length). A call may write up to:
 *  - encode:  ilen + 5 * ceil(ilen / 32768) + 20 bytes in the worst case, header and (when
 *             more = 0) trailer included. HAProxy reserves exactly this much before each
 *             encode + flush or encode + finish pair, and that pair fits in it.
 *  - flush:   6 bytes; finish: 21 bytes (header, 3 bytes, trailer).
 * Bytes after the returned length, within that room, may be overwritten.
 */

#ifndef _SLZ_H
#define _SLZ_H

#include <inttypes.h>

/* libslz's stream states, for source compatibility only: slz keeps its own. */
enum slz_state {
	SLZ_ST_INIT,
	SLZ_ST_EOB,
	SLZ_ST_FIXED,
	SLZ_ST_LAST,
	SLZ_ST_DONE,
	SLZ_ST_END
};

enum {
	SLZ_FMT_GZIP,    /* gzip, RFC 1952 (CRC-32) */
	SLZ_FMT_ZLIB,    /* zlib, RFC 1950 (Adler-32) */
	SLZ_FMT_DEFLATE, /* raw deflate, RFC 1951 (no checksum) */
};

/* Bytes of slz's saved encoder (slz::Encoder::STATE_LEN). */
#define SLZ_STATE_BYTES 32

struct slz_stream {
	/* slz's encoder, saved as bytes after every call (private: never write to it). */
	unsigned char opaque[SLZ_STATE_BYTES];
	/* Read only, updated by every call: the running CRC-32 (gzip) or Adler-32 (zlib) of the
	 * input so far, and the input length modulo 2^32. */
	uint32_t crc32;
	uint32_t ilen;
	/* 0 = stored, 1 = fastest ... 9 = densest; may be changed between calls. */
	uint8_t level;
	/* SLZ_FMT_*, set by the init functions; the dispatchers below read it. */
	uint8_t format;
	uint8_t unused1[2];
};

/* The Rust side checks the same size (capi/src/lib.rs). */
typedef char slz_stream_size_check[(sizeof(struct slz_stream) == 44) ? 1 : -1];

/* Functions specific to rfc1951 (deflate) */
long slz_rfc1951_encode(struct slz_stream *strm, unsigned char *out, const unsigned char *in, long ilen, int more);
int slz_rfc1951_init(struct slz_stream *strm, int level);
int slz_rfc1951_flush(struct slz_stream *strm, unsigned char *buf);
int slz_rfc1951_finish(struct slz_stream *strm, unsigned char *buf);

/* Functions specific to rfc1952 (gzip) */
uint32_t slz_crc32_by1(uint32_t crc, const unsigned char *buf, int len);
uint32_t slz_crc32_by4(uint32_t crc, const unsigned char *buf, int len);
long slz_rfc1952_encode(struct slz_stream *strm, unsigned char *out, const unsigned char *in, long ilen, int more);
int slz_rfc1952_send_header(struct slz_stream *strm, unsigned char *buf);
int slz_rfc1952_init(struct slz_stream *strm, int level);
int slz_rfc1952_flush(struct slz_stream *strm, unsigned char *buf);
int slz_rfc1952_finish(struct slz_stream *strm, unsigned char *buf);

/* Functions specific to rfc1950 (zlib) */
uint32_t slz_adler32_by1(uint32_t crc, const unsigned char *buf, int len);
uint32_t slz_adler32_block(uint32_t crc, const unsigned char *buf, long len);
long slz_rfc1950_encode(struct slz_stream *strm, unsigned char *out, const unsigned char *in, long ilen, int more);
int slz_rfc1950_send_header(struct slz_stream *strm, unsigned char *buf);
int slz_rfc1950_init(struct slz_stream *strm, int level);
int slz_rfc1950_flush(struct slz_stream *strm, unsigned char *buf);
int slz_rfc1950_finish(struct slz_stream *strm, unsigned char *buf);

/* libslz's table set-up calls: slz needs no tables built at run time, so these do nothing. */
void slz_make_crc_table(void);
void slz_prepare_dist_table(void);

/* The generic functions: each calls its format's function (the stream's format decides anyway). */

/* Initializes stream <strm> for format <format> (SLZ_FMT_*; any other value means raw deflate)
 * at level <level>. Returns 0, or -1 if <strm> is NULL.
 */
static inline int slz_init(struct slz_stream *strm, int level, int format)
{
	switch (format) {
	case SLZ_FMT_GZIP: return slz_rfc1952_init(strm, level);
	case SLZ_FMT_ZLIB: return slz_rfc1950_init(strm, level);
	default:           return slz_rfc1951_init(strm, level);
	}
}

/* Compresses <ilen> bytes of <in> into <out> and returns the number of output bytes (-1 on
 * misuse). With <more> = 0 this is the end of the stream. See "Output room" above.
 */
static inline long slz_encode(struct slz_stream *strm, void *out, const void *in, long ilen, int more)
{
	unsigned char *o = (unsigned char *)out;
	const unsigned char *i = (const unsigned char *)in;

	switch (strm->format) {
	case SLZ_FMT_GZIP: return slz_rfc1952_encode(strm, o, i, ilen, more);
	case SLZ_FMT_ZLIB: return slz_rfc1950_encode(strm, o, i, ilen, more);
	default:           return slz_rfc1951_encode(strm, o, i, ilen, more);
	}
}

/* Sync flush: makes everything given so far decodable and byte-aligned (an empty stored block,
 * 00 00 ff ff) into <buf>, up to 6 bytes. Returns the number of bytes written: 0 when nothing
 * was compressed since the last flush.
 */
static inline int slz_flush(struct slz_stream *strm, void *buf)
{
	switch (strm->format) {
	case SLZ_FMT_GZIP: return slz_rfc1952_flush(strm, (unsigned char *)buf);
	case SLZ_FMT_ZLIB: return slz_rfc1950_flush(strm, (unsigned char *)buf);
	default:           return slz_rfc1951_flush(strm, (unsigned char *)buf);
	}
}

/* Ends the stream into <buf>: pending bits, the last block if needed, and the trailer, up to 21
 * bytes. Returns the number of bytes written (0 if the stream had already ended).
 */
static inline int slz_finish(struct slz_stream *strm, void *buf)
{
	switch (strm->format) {
	case SLZ_FMT_GZIP: return slz_rfc1952_finish(strm, (unsigned char *)buf);
	case SLZ_FMT_ZLIB: return slz_rfc1950_finish(strm, (unsigned char *)buf);
	default:           return slz_rfc1951_finish(strm, (unsigned char *)buf);
	}
}

#endif
