/**
 * What every HTTP answer shares: errors as RFC 9457 problem details ({@link io.mailgate.api.ApiProblem} and the
 * handlers that turn Spring's and Spring Security's failures into them, never a stack trace) and timestamps.
 * The lowest web package: anything may use it, it uses nothing of mailgate.
 */
package io.mailgate.api;
