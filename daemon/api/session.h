/*
 * session.h - people signed in to the web app, as the request pipeline sees them
 * (DESIGN.md "People and sign-in"): a request is identified by its session cookie
 * when it carries no Authorization header, and a write made with a session cookie
 * must carry the session's X-CSRF-Token and a same-origin Origin.
 *
 * Thread: a worker's requests, on its thread.
 */
#ifndef BURSAR_SESSION_H
#define BURSAR_SESSION_H

#include "http.h"
#include "problem.h"

#define SESSION_COOKIE "bursar_session"

/* 1 when the request carries a session cookie (and no Authorization header). */
int session_present(const struct req *r);

/* Identify the request by its session cookie into r->id: 0, or -1 with 401 (no
 * live session: signed out, idle, expired, or the account disabled or locked). */
int session_identify(struct req *r, struct problem *p) __attribute__((warn_unused_result));

/* The same for a cookie value just issued (signing in). */
int session_identify_cookie(struct req *r, const char *value, struct problem *p) __attribute__((warn_unused_result));

/* 1 when the request's Origin names this server (scheme and host as the request's
 * Host header); 0 when it names another or is missing. */
int session_same_origin(const struct req *r);

/* For a write by a session: the X-CSRF-Token and Origin checks (403 otherwise). 0 ok. */
int session_check_write(const struct req *r, struct problem *p) __attribute__((warn_unused_result));

#endif
