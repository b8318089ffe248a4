package io.lambdatrades.serving;

import static java.util.Objects.requireNonNull;

/**
 * A request the API refuses, answered as {@code {"error": ..., "detail": ...}} with its status:
 * never a 500 for bad input.
 */
public final class ApiException
        extends RuntimeException
{
    private final int status;
    private final String error;

    private ApiException(int status, String error, String detail)
    {
        super(requireNonNull(detail, "detail is null"));
        this.status = status;
        this.error = requireNonNull(error, "error is null");
    }

    /** A parameter that is malformed or out of range; the detail names it. */
    public static ApiException badRequest(String parameter, String detail)
    {
        return new ApiException(400, "bad parameter '" + parameter + "'", detail);
    }

    public static ApiException notFound(String what, String detail)
    {
        return new ApiException(404, what + " not found", detail);
    }

    public static ApiException unauthorized(String detail)
    {
        return new ApiException(401, "unauthorized", detail);
    }

    public static ApiException unavailable(String error, String detail)
    {
        return new ApiException(503, error, detail);
    }

    public int status()
    {
        return status;
    }

    public String error()
    {
        return error;
    }

    public String detail()
    {
        return getMessage();
    }
}
