/* The part of ISA-L's igzip API that `slz bench` uses, behind functions whose arguments are plain
 * pointers and integers, so the Rust side never depends on the layout of `struct isal_zstream`
 * (which changes between ISA-L versions): this file is compiled against the installed header. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <isa-l/igzip_lib.h>

struct slz_isal {
	struct isal_zstream strm;
	uint8_t *level_buf;
	uint32_t level_buf_size;
};

/* The level buffer ISA-L recommends by default for each level (0 needs none). */
static uint32_t level_buf_size(int level)
{
	switch (level) {
	case 1: return ISAL_DEF_LVL1_DEFAULT;
	case 2: return ISAL_DEF_LVL2_DEFAULT;
	case 3: return ISAL_DEF_LVL3_DEFAULT;
	default: return 0;
	}
}

/* Bytes of memory one stream holds: the stream structure and its level buffer. */
size_t slz_isal_stream_bytes(int level)
{
	return sizeof(struct slz_isal) + level_buf_size(level);
}

/* A new gzip stream at `level` (0-3), or NULL (bad level or out of memory). */
struct slz_isal *slz_isal_new(int level)
{
	struct slz_isal *s;

	if (level < ISAL_DEF_MIN_LEVEL || level > ISAL_DEF_MAX_LEVEL)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return NULL;
	s->level_buf_size = level_buf_size(level);
	if (s->level_buf_size) {
		s->level_buf = malloc(s->level_buf_size);
		if (s->level_buf == NULL) {
			free(s);
			return NULL;
		}
	}
	isal_deflate_init(&s->strm);
	s->strm.level = (uint32_t)level;
	s->strm.level_buf = s->level_buf;
	s->strm.level_buf_size = s->level_buf_size;
	s->strm.gzip_flag = IGZIP_GZIP;
	return s;
}

/* One isal_deflate call. `mode`: 0 no flush, 1 sync flush, 2 end of stream. Stores the input
 * bytes consumed, output bytes written and whether the stream has ended; returns ISA-L's status (COMP_OK = 0). */
int slz_isal_deflate(struct slz_isal *s, const uint8_t *in, uint32_t in_len, uint8_t *out,
		     uint32_t out_len, int mode, uint32_t *used, uint32_t *written, int *ended)
{
	int rc;

	s->strm.next_in = (uint8_t *)in;
	s->strm.avail_in = in_len;
	s->strm.next_out = out;
	s->strm.avail_out = out_len;
	s->strm.flush = mode == 1 ? SYNC_FLUSH : NO_FLUSH;
	s->strm.end_of_stream = mode == 2;
	rc = isal_deflate(&s->strm);
	*used = in_len - s->strm.avail_in;
	*written = out_len - s->strm.avail_out;
	*ended = s->strm.internal_state.state == ZSTATE_END;
	s->strm.next_in = NULL;
	s->strm.next_out = NULL;
	return rc;
}

void slz_isal_free(struct slz_isal *s)
{
	if (s != NULL) {
		free(s->level_buf);
		free(s);
	}
}
