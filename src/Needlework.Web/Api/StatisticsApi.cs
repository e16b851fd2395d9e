using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Needlework.Web.Auth;
using Needlework.Web.Data;
using Needlework.Web.Statistics;

namespace Needlework.Web.Api;

/// <summary>/api/v1/statistics and /api/v1/thresholds: slowness figures and the admin's thresholds per worker class.</summary>
public static class StatisticsApi
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static void MapStatisticsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/statistics", async (NeedleworkDbContext db, CancellationToken ct) =>
            Results.Json(await StatisticsReport.ComputeAsync(db, ct), SnakeCase));
        routes.MapGet("/api/v1/thresholds", async (NeedleworkDbContext db, CancellationToken ct) =>
            Results.Json(new { thresholds = await db.ThresholdSettings.AsNoTracking().OrderBy(t => t.WorkerClass).ToListAsync(ct) }, SnakeCase));
        routes.MapGroup("/api/v1/thresholds").AddEndpointFilter<RequireApiKeyFilter>().MapPost("/{workerClass}", SetThresholdAsync);
    }

    /// <summary>Parameters: automatic (1/0), max_stall_seconds, max_stalled_percent, window_seconds, baseline_factor.</summary>
    internal static async Task<IResult> SetThresholdAsync(string workerClass, HttpRequest request, NeedleworkDbContext db, IOptions<WebUiOptions> options, CancellationToken cancellationToken)
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

        var setting = await db.ThresholdSettings.FirstOrDefaultAsync(t => t.WorkerClass == workerClass, cancellationToken);
        if (setting is null)
        {
            setting = new ThresholdSetting { WorkerClass = workerClass };
            db.ThresholdSettings.Add(setting);
        }

        setting.Automatic = p.GetValueOrDefault("automatic") is "1" or "true" or "on";
        foreach (var (name, assign) in new (string, Action<double?>)[]
        {
            ("max_stall_seconds", v => setting.MaxStallSeconds = v),
            ("max_stalled_percent", v => setting.MaxStalledPercent = v),
            ("window_seconds", v => setting.WindowSeconds = v),
            ("baseline_factor", v => setting.BaselineFactor = v),
        })
        {
            if (!p.TryGetValue(name, out var text) || text.Length == 0)
            {
                assign(null);
                continue;
            }

            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || !double.IsFinite(value))
            {
                return ApiErrors.BadRequest($"{name} must be a positive number");
            }

            assign(value);
        }

        await db.SaveChangesAsync(cancellationToken);
        return Results.Json(new { result = 1 });
    }
}
