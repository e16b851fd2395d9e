using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Needlework.Core.Jobs;
using Needlework.Web.Auth;
using Needlework.Web.Data;

namespace Needlework.Web.Api;

/// <summary>/api/v1/known_failures: the admin's list of known failure patterns.</summary>
public static class KnownFailuresApi
{
    public static void MapKnownFailuresApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/known_failures", ListAsync);
        var write = routes.MapGroup("/api/v1/known_failures").AddEndpointFilter<RequireApiKeyFilter>();
        write.MapPost("/", CreateAsync);
        write.MapDelete("/{id:long}", DeleteAsync);
    }

    internal static async Task<IResult> ListAsync(NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        var failures = await db.KnownFailures.AsNoTracking().OrderBy(k => k.Id).ToListAsync(cancellationToken);
        return Results.Json(new { known_failures = failures.Select(Json) });
    }

    /// <summary>Parameters: name, reason_pattern, category_pattern, retrigger (1/0/true/false).</summary>
    internal static async Task<IResult> CreateAsync(HttpRequest request, NeedleworkDbContext db, IOptions<WebUiOptions> options, CancellationToken cancellationToken)
    {
        Dictionary<string, string> p;
        try
        {
            p = await RequestParameters.ReadAsync(request, options.Value.Uploads.Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return ApiErrors.BadRequest("malformed JSON: " + e.Message);
        }

        var failure = new KnownFailure
        {
            Name = p.GetValueOrDefault("name", string.Empty).Trim(),
            ReasonPattern = Blank(p.GetValueOrDefault("reason_pattern")),
            CategoryPattern = Blank(p.GetValueOrDefault("category_pattern")),
            Retrigger = p.GetValueOrDefault("retrigger") is "1" or "true" or "on",
        };
        if (failure.Validate() is { } error)
        {
            return ApiErrors.BadRequest(error);
        }

        db.KnownFailures.Add(failure);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Json(new { id = failure.Id });
    }

    internal static async Task<IResult> DeleteAsync(long id, NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        var failure = await db.KnownFailures.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (failure is null)
        {
            return ApiErrors.Error(404, $"Known failure {id} does not exist");
        }

        db.KnownFailures.Remove(failure);
        await db.SaveChangesAsync(cancellationToken);
        return Results.Json(new { result = 1 });
    }

    public static object Json(KnownFailure k)
    {
        ArgumentNullException.ThrowIfNull(k);
        return new { id = k.Id, name = k.Name, reason_pattern = k.ReasonPattern, category_pattern = k.CategoryPattern, retrigger = k.Retrigger };
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
