/* SPDX-License-Identifier: MIT */
/* Logging to stderr with a rank prefix, and the backoff used by every wait. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "zc_log.h"

enum zc_log_level zc_log_level = ZC_LOG_WARN;
static int log_rank = -1;

static const char *const level_names[] = {
	[ZC_LOG_ERROR] = "error", [ZC_LOG_WARN] = "warn",
	[ZC_LOG_INFO] = "info", [ZC_LOG_DEBUG] = "debug",
	[ZC_LOG_TRACE] = "trace",
};

void zc_log_set_rank(int rank)
{
	log_rank = rank;
}

void zc_log_emit(enum zc_log_level lvl, const char *file, int line,
		 const char *fmt, ...)
{
	char msg[512];
	const char *base = strrchr(file, '/');
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One fprintf per line so that lines of different ranks never mix. */
	if (log_rank >= 0)
		fprintf(stderr, "zcomm[%d] %s: %s (%s:%d)\n", log_rank,
			level_names[lvl], msg, base ? base + 1 : file, line);
	else
		fprintf(stderr, "zcomm %s: %s (%s:%d)\n", level_names[lvl],
			msg, base ? base + 1 : file, line);
}
