/* SPDX-License-Identifier: MIT */
#include <string.h>

#include <zcomm.h>

static const char *const zc_errstr[ZC_ELAST - ZC_EBASE] = {
	[ZC_EPEERDEAD - ZC_EBASE] = "peer dead or unreachable",
	[ZC_ERANGE_ACCESS - ZC_EBASE] = "remote access outside the target's symmetric heap",
	[ZC_ENOHEAP - ZC_EBASE] = "symmetric heap exhausted",
	[ZC_ENOTINIT - ZC_EBASE] = "zcomm not initialised",
	[ZC_ECONFIG - ZC_EBASE] = "invalid configuration value",
	[ZC_ENOPROVIDER - ZC_EBASE] = "no transport can reach a peer",
	[ZC_EPROTO - ZC_EBASE] = "malformed message from a peer",
	[ZC_EAUTH - ZC_EBASE] = "peer failed job authentication",
	[ZC_ENOTSYM - ZC_EBASE] = "address not in the symmetric heap",
	[ZC_ETEAM - ZC_EBASE] = "team misuse",
	[ZC_EBOOT - ZC_EBASE] = "launcher (PMIx) failure",
};

const char *zc_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err == 0)
		return "success";
	if (err >= ZC_EBASE && err < ZC_ELAST)
		return zc_errstr[err - ZC_EBASE];
	if (err < ZC_EBASE)
		return strerror(err);
	return "unknown error";
}
