/* SPDX-License-Identifier: MIT */
/* Capture this process's stderr (zcomm's log) between two calls, so a
 * test can check what was logged. Not nestable; one capture at a time. */
#ifndef T_CAPTURE_H
#define T_CAPTURE_H

#include <stdlib.h>
#include <unistd.h>

#include "t_helpers.h"

static char t_cap_buf[16384];
static int t_cap_fd = -1, t_cap_saved = -1;

static inline void t_cap_begin(void)
{
	char path[] = "/tmp/zc_capture.XXXXXX";

	fflush(stderr);
	t_cap_fd = mkstemp(path);
	t_cap_saved = dup(2);
	T_ASSERT(t_cap_fd >= 0 && t_cap_saved >= 0 && dup2(t_cap_fd, 2) == 2,
		 "capturing stderr");
	unlink(path);
}

/* What was logged since t_cap_begin (NUL-terminated, truncated). */
static inline const char *t_cap_end(void)
{
	ssize_t n;

	fflush(stderr);
	dup2(t_cap_saved, 2);
	close(t_cap_saved);
	n = pread(t_cap_fd, t_cap_buf, sizeof(t_cap_buf) - 1, 0);
	t_cap_buf[n > 0 ? n : 0] = '\0';
	close(t_cap_fd);
	return t_cap_buf;
}

#endif /* T_CAPTURE_H */
