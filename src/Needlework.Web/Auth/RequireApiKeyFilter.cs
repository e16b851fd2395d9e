namespace Needlework.Web.Auth;

/// <summary>Endpoint filter for everything that writes: 403 with openQA's JSON error unless the request is signed.</summary>
public sealed class RequireApiKeyFilter(ApiKeyAuthentication authentication) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var error = await authentication.AuthenticateAsync(context.HttpContext, context.HttpContext.RequestAborted);
        if (error is not null)
        {
            return Results.Json(new { error = "Not authorized: " + error }, statusCode: StatusCodes.Status403Forbidden);
        }

        return await next(context);
    }
}
