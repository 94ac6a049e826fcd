/* SPDX-License-Identifier: MIT */
/* Teams over zc_team_*, and contexts. A context is a team plus options;
 * every context uses the default context's transport state (see
 * shmem.h), so creating one never fails for lack of resources. */
#include <errno.h>
#include <stdlib.h>

#include "sh.h"

/* The teams made by the splits and not destroyed yet. */
static struct zc_shmem_team *split_teams;

bool sh_team_valid(const struct zc_shmem_team *team, const char *fn)
{
	if (team)
		return true;
	zc_err("%s: SHMEM_TEAM_INVALID", fn);
	return false;
}

/* -1 for an invalid team, or before init. */
int sh_team_rank(const struct zc_shmem_team *team)
{
	return team && team->zt ? zc_team_rank(team->zt) : -1;
}

int sh_team_size(const struct zc_shmem_team *team)
{
	return team && team->zt ? zc_team_size(team->zt) : -1;
}

int sh_team_to_world(const struct zc_shmem_team *team, int pe)
{
	if (team == SHMEM_TEAM_WORLD)
		return pe;
	if (!team || !team->zt || pe < 0 || pe >= zc_team_size(team->zt)) {
		zc_err("PE %d is not in the context's team (of %d)", pe,
		       sh_team_size(team));
		return -1;
	}
	return zc_team_translate(team->zt, pe, zc_shmem_team_world.zt);
}

int shmem_team_my_pe(shmem_team_t team)
{
	return sh_team_rank(team);
}

int shmem_team_n_pes(shmem_team_t team)
{
	return sh_team_size(team);
}

int shmem_team_get_config(shmem_team_t team, long config_mask,
			  shmem_team_config_t *config)
{
	/* SHMEM_TEAM_INVALID has defined results in the team routines
	 * (nonzero, -1, NULL): not worth an error line. */
	if (!team)
		return -1;
	if (config && (config_mask & SHMEM_TEAM_NUM_CONTEXTS))
		config->num_contexts = team->config.num_contexts;
	return 0;
}

int shmem_team_translate_pe(shmem_team_t src_team, int src_pe,
			    shmem_team_t dest_team)
{
	if (!src_team || !dest_team)
		return -1;
	if (src_pe < 0 || src_pe >= sh_team_size(src_team))
		return -1;
	if (src_team == dest_team)
		return src_pe;
	return zc_team_translate(src_team->zt, src_pe, dest_team->zt);
}

static struct zc_shmem_team *team_wrap(struct zc_team *zt,
				       const shmem_team_config_t *config,
				       long mask)
{
	struct zc_shmem_team *t = calloc(1, sizeof(*t));

	if (!t) {
		zc_err("team: out of memory");
		zc_team_destroy(zt);
		return NULL;
	}
	t->zt = zt;
	if (config && (mask & SHMEM_TEAM_NUM_CONTEXTS)) {
		t->config = *config;
		t->config_mask = SHMEM_TEAM_NUM_CONTEXTS;
	}
	t->next = split_teams;
	split_teams = t;
	return t;
}

static void ctxs_free(struct zc_shmem_team *team)
{
	while (team->ctxs) {
		struct zc_shmem_ctx *c = team->ctxs;

		team->ctxs = c->next;
		free(c);
	}
}

void sh_teams_forget_all(void)
{
	while (split_teams) {
		struct zc_shmem_team *t = split_teams;

		split_teams = t->next;
		ctxs_free(t);
		free(t);
	}
	ctxs_free(SHMEM_TEAM_WORLD);
	ctxs_free(SHMEM_TEAM_SHARED);
}

int shmem_team_split_strided(shmem_team_t parent_team, int start,
			     int stride, int size,
			     const shmem_team_config_t *config,
			     long config_mask, shmem_team_t *new_team)
{
	struct zc_team *zt = NULL;
	int rc;

	*new_team = SHMEM_TEAM_INVALID;
	if (!parent_team)
		return -1;
	if (size == 1)
		stride = 1;	/* any stride names the same one PE */
	sh_lock();
	rc = zc_team_split_strided(parent_team->zt, start, stride, size, &zt);
	if (!rc && zt) {
		*new_team = team_wrap(zt, config, config_mask);
		if (!*new_team)
			rc = -ENOMEM;
	}
	sh_unlock();
	if (rc) {
		sh_report(__func__, rc);
		return -1;
	}
	return 0;
}

int shmem_team_split_2d(shmem_team_t parent_team, int xrange,
			const shmem_team_config_t *xaxis_config,
			long xaxis_mask, shmem_team_t *xaxis_team,
			const shmem_team_config_t *yaxis_config,
			long yaxis_mask, shmem_team_t *yaxis_team)
{
	struct zc_team *x = NULL, *y = NULL;
	int rc;

	*xaxis_team = *yaxis_team = SHMEM_TEAM_INVALID;
	if (!parent_team)
		return -1;
	sh_lock();
	rc = zc_team_split_2d(parent_team->zt, xrange, &x, &y);
	if (!rc && x)
		*xaxis_team = team_wrap(x, xaxis_config, xaxis_mask);
	if (!rc && y)
		*yaxis_team = team_wrap(y, yaxis_config, yaxis_mask);
	sh_unlock();
	if (rc) {
		sh_report(__func__, rc);
		return -1;
	}
	return (x && !*xaxis_team) || (y && !*yaxis_team) ? -1 : 0;
}

void shmem_team_destroy(shmem_team_t team)
{
	if (!team)
		return;
	if (team == SHMEM_TEAM_WORLD || team == SHMEM_TEAM_SHARED) {
		zc_err("shmem_team_destroy: the predefined teams cannot be "
		       "destroyed");
		return;
	}
	/* The specification: destroying a team destroys its (shareable)
	 * contexts; private ones were the program's to destroy first. */
	sh_lock();
	ctxs_free(team);
	for (struct zc_shmem_team **pp = &split_teams; *pp;
	     pp = &(*pp)->next) {
		if (*pp == team) {
			*pp = team->next;
			break;
		}
	}
	SH_CHECK(zc_team_destroy(team->zt));
	sh_unlock();
	free(team);
}

int shmem_team_sync(shmem_team_t team)
{
	int rc;

	if (!sh_team_valid(team, __func__))
		return -1;
	sh_lock();
	rc = zc_team_sync(team->zt);
	sh_unlock();
	if (rc)
		sh_report(__func__, rc);
	return rc ? -1 : 0;
}

int shmem_team_create_ctx(shmem_team_t team, long options, shmem_ctx_t *ctx)
{
	struct zc_shmem_ctx *c;

	*ctx = SHMEM_CTX_INVALID;
	if (!team)
		return -1;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	c->team = team;
	c->options = options;
	/* A team's num_contexts asks that so many can exist at once; it is
	 * no cap (an explicit 0 is the default), and contexts cost nothing
	 * here, so any number may be made. Threads may create contexts at
	 * once (MULTIPLE): the list is under the lock. */
	sh_lock();
	c->next = team->ctxs;
	team->ctxs = c;
	sh_unlock();
	*ctx = c;
	return 0;
}

int shmem_ctx_create(long options, shmem_ctx_t *ctx)
{
	return shmem_team_create_ctx(SHMEM_TEAM_WORLD, options, ctx);
}

void shmem_ctx_destroy(shmem_ctx_t ctx)
{
	if (!ctx)
		return;
	if (ctx == SHMEM_CTX_DEFAULT) {
		zc_err("shmem_ctx_destroy: SHMEM_CTX_DEFAULT cannot be "
		       "destroyed");
		return;
	}
	/* Its operations complete before it goes, as the spec asks. */
	sh_lock();
	SH_CHECK(zc_quiet());
	for (struct zc_shmem_ctx **pp = &ctx->team->ctxs; *pp;
	     pp = &(*pp)->next) {
		if (*pp == ctx) {
			*pp = ctx->next;
			break;
		}
	}
	sh_unlock();
	free(ctx);
}

int shmem_ctx_get_team(shmem_ctx_t ctx, shmem_team_t *team)
{
	if (!ctx) {
		*team = SHMEM_TEAM_INVALID;
		return -1;
	}
	*team = ctx->team;
	return 0;
}
