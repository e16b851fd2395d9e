using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Needlework.Core.Jobs;
using Needlework.Web.Auth;
using Needlework.Web.Data;
using Needlework.Web.Scheduling;

namespace Needlework.Web.Api;

/// <summary>/api/v1/jobs as openqa-cli uses it. Reading is public; writing needs a signed request.</summary>
public static class JobsApi
{
    public static void MapJobsApi(this IEndpointRouteBuilder routes)
    {
        var read = routes.MapGroup("/api/v1");
        read.MapGet("/jobs", ListAsync);
        read.MapGet("/jobs/{id:long}", GetAsync);
        read.MapGet("/experimental/jobs/{id:long}/status", StatusAsync);

        var write = routes.MapGroup("/api/v1").AddEndpointFilter<RequireApiKeyFilter>();
        write.MapPost("/jobs", CreateAsync);
        write.MapPost("/jobs/{id:long}/restart", RestartAsync);
        write.MapPost("/jobs/{id:long}/duplicate", DuplicateAsync);
        write.MapPost("/jobs/{id:long}/cancel", CancelAsync);
        write.MapPost("/jobs/{id:long}/prio", PrioAsync);
        write.MapPost("/isos", IsosAsync);
    }

    internal static async Task<IResult> ListAsync(HttpRequest request, NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Jobs.AsNoTracking();
        var q = request.Query;
        if (q.TryGetValue("state", out var states))
        {
            var parsed = new List<JobState>();
            foreach (var s in states.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!JobWording.TryParseState(s, out var state))
                {
                    return ApiErrors.BadRequest($"unknown state {s}");
                }

                parsed.Add(state);
            }

            query = query.Where(j => parsed.Contains(j.State));
        }

        if (q.TryGetValue("result", out var results))
        {
            var parsed = new List<JobResult>();
            foreach (var s in results.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!JobWording.TryParseResult(s, out var result))
                {
                    return ApiErrors.BadRequest($"unknown result {s}");
                }

                parsed.Add(result);
            }

            query = query.Where(j => parsed.Contains(j.Result));
        }

        foreach (var (name, apply) in new (string, Func<IQueryable<Job>, string, IQueryable<Job>>)[]
        {
            ("test", (x, v) => x.Where(j => j.Test == v)),
            ("arch", (x, v) => x.Where(j => j.Arch == v)),
            ("machine", (x, v) => x.Where(j => j.Machine == v)),
            ("distri", (x, v) => x.Where(j => j.Distri == v)),
            ("version", (x, v) => x.Where(j => j.Version == v)),
            ("flavor", (x, v) => x.Where(j => j.Flavor == v)),
            ("build", (x, v) => x.Where(j => j.Build == v)),
            ("reason", (x, v) => x.Where(j => j.Reason != null && j.Reason.Contains(v))),
        })
        {
            if (q.TryGetValue(name, out var value) && value.ToString().Length > 0)
            {
                query = apply(query, value.ToString());
            }
        }

        if (q.TryGetValue("worker", out var worker))
        {
            if (!long.TryParse(worker, NumberStyles.Integer, CultureInfo.InvariantCulture, out var workerId))
            {
                return ApiErrors.BadRequest("worker must be a worker id");
            }

            query = query.Where(j => j.LastWorkerId == workerId);
        }

        if (q.TryGetValue("known_failure", out var known))
        {
            var text = known.ToString();
            query = text is "1" or "true" ? query.Where(j => j.KnownFailureId != null)
                : text is "0" or "false" ? query.Where(j => j.KnownFailureId == null)
                : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kf) ? query.Where(j => j.KnownFailureId == kf)
                : query.Where(j => false);
        }

        if (q.TryGetValue("ids", out var ids))
        {
            var list = new List<long>();
            foreach (var s in ids.ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                {
                    return ApiErrors.BadRequest("ids must be numbers");
                }

                list.Add(id);
            }

            query = query.Where(j => list.Contains(j.Id));
        }

        var limit = 500;
        if (q.TryGetValue("limit", out var l) && (!int.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            return ApiErrors.BadRequest("limit must be a positive number");
        }

        var jobs = await query.OrderByDescending(j => j.Id).Take(Math.Min(limit, 10000)).ToListAsync(cancellationToken);
        var names = await KnownFailureNamesAsync(db, jobs, cancellationToken);
        return Results.Json(new { jobs = jobs.Select(j => JobJson.Of(j, Name(names, j))) });
    }

    internal static async Task<IResult> GetAsync(long id, NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null)
        {
            return ApiErrors.JobNotFound(id);
        }

        var modules = await db.JobModules.AsNoTracking().Where(m => m.JobId == id).ToListAsync(cancellationToken);
        var names = await KnownFailureNamesAsync(db, [job], cancellationToken);
        return Results.Json(new { job = JobJson.Of(job, Name(names, job), modules) });
    }

    internal static async Task<IResult> StatusAsync(long id, NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().Where(j => j.Id == id).Select(j => new { j.Id, j.State, j.Result }).FirstOrDefaultAsync(cancellationToken);
        return job is null
            ? ApiErrors.JobNotFound(id)
            : Results.Json(new { id = job.Id, state = job.State.ToWire(), result = job.Result.ToWire(), blocked_by_id = (long?)null });
    }

    internal static async Task<IResult> CreateAsync(HttpRequest request, JobService jobs, IOptions<WebUiOptions> options, CancellationToken cancellationToken)
    {
        Dictionary<string, string> parameters;
        try
        {
            parameters = await RequestParameters.ReadAsync(request, options.Value.Uploads.Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return ApiErrors.BadRequest("malformed JSON: " + e.Message);
        }

        var (settings, priority, error) = ToSettings(parameters);
        if (error is not null)
        {
            return ApiErrors.BadRequest(error);
        }

        var job = await jobs.CreateAsync(settings, priority, cancellationToken);
        return Results.Json(new { id = job.Id });
    }

    internal static async Task<IResult> RestartAsync(long id, JobService jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(id, cancellationToken);
        if (job is null)
        {
            return ApiErrors.JobNotFound(id);
        }

        try
        {
            var (original, clone) = await jobs.RestartAsync(job, null, cancellationToken);
            var key = original.Id.ToString(CultureInfo.InvariantCulture);
            return Results.Json(new
            {
                result = new[] { new Dictionary<string, long> { [key] = clone.Id } },
                test_url = new[] { new Dictionary<string, string> { [key] = "/tests/" + clone.Id } },
            });
        }
        catch (InvalidJobTransitionException e)
        {
            return ApiErrors.BadRequest(e.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiErrors.Conflict("job changed meanwhile, try again");
        }
    }

    internal static async Task<IResult> DuplicateAsync(long id, HttpRequest request, JobService jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(id, cancellationToken);
        if (job is null)
        {
            return ApiErrors.JobNotFound(id);
        }

        int? priority = null;
        if (request.Query.TryGetValue("prio", out var p))
        {
            if (!int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return ApiErrors.BadRequest("prio must be a number");
            }

            priority = value;
        }

        try
        {
            if (job.CloneId is not null)
            {
                return ApiErrors.BadRequest($"Job {id} has already been cloned as {job.CloneId}");
            }

            var (_, clone) = await jobs.RestartAsync(job, priority, cancellationToken);
            return Results.Json(new { id = clone.Id });
        }
        catch (InvalidJobTransitionException e)
        {
            return ApiErrors.BadRequest(e.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiErrors.Conflict("job changed meanwhile, try again");
        }
    }

    internal static async Task<IResult> CancelAsync(long id, JobService jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(id, cancellationToken);
        if (job is null)
        {
            return ApiErrors.JobNotFound(id);
        }

        if (job.State.IsFinal())
        {
            return Results.Json(new { result = 0 });
        }

        try
        {
            await jobs.CancelAsync(job, JobResult.UserCancelled, null, cancellationToken);
            return Results.Json(new { result = 1 });
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiErrors.Conflict("job changed meanwhile, try again");
        }
    }

    internal static async Task<IResult> PrioAsync(long id, HttpRequest request, JobService jobs, IOptions<WebUiOptions> options, CancellationToken cancellationToken)
    {
        Dictionary<string, string> parameters;
        try
        {
            parameters = await RequestParameters.ReadAsync(request, options.Value.Uploads.Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return ApiErrors.BadRequest("malformed JSON: " + e.Message);
        }

        if (!parameters.TryGetValue("prio", out var text) || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var prio))
        {
            return ApiErrors.BadRequest("prio must be a number");
        }

        var job = await jobs.FindAsync(id, cancellationToken);
        if (job is null)
        {
            return ApiErrors.JobNotFound(id);
        }

        job.SetPriority(prio);
        await jobs.Db.SaveChangesAsync(cancellationToken);
        return Results.Json(new { result = 1 });
    }

    /// <summary>Schedules one job per TEST (comma-separated) for the given product; openQA's job templates are not modelled.</summary>
    internal static async Task<IResult> IsosAsync(HttpRequest request, JobService jobs, IOptions<WebUiOptions> options, CancellationToken cancellationToken)
    {
        Dictionary<string, string> parameters;
        try
        {
            parameters = await RequestParameters.ReadAsync(request, options.Value.Uploads.Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return ApiErrors.BadRequest("malformed JSON: " + e.Message);
        }

        foreach (var required in new[] { JobSettings.Distri, JobSettings.Version, JobSettings.Flavor, JobSettings.Arch })
        {
            if (!parameters.TryGetValue(required, out var v) || v.Length == 0)
            {
                return ApiErrors.BadRequest($"Missing parameter: {required}");
            }
        }

        if (!parameters.TryGetValue(JobSettings.Test, out var tests) || tests.Length == 0)
        {
            return ApiErrors.BadRequest("Missing parameter: TEST (comma-separated test names to schedule)");
        }

        var (settings, priority, error) = ToSettings(parameters);
        if (error is not null)
        {
            return ApiErrors.BadRequest(error);
        }

        var ids = new List<long>();
        foreach (var test in tests.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            settings[JobSettings.Test] = test;
            ids.Add((await jobs.CreateAsync(settings, priority, cancellationToken)).Id);
        }

        return Results.Json(new { count = ids.Count, ids, failed = Array.Empty<object>(), scheduled_product_id = (long?)null });
    }

    private static (Dictionary<string, string> Settings, int Priority, string? Error) ToSettings(Dictionary<string, string> parameters)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var priority = Job.DefaultPriority;
        foreach (var (key, value) in parameters)
        {
            if (key == JobSettings.Priority)
            {
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out priority))
                {
                    return (settings, 0, "_PRIORITY must be a number");
                }

                continue;
            }

            if (!JobSettings.IsValidKey(key))
            {
                return (settings, 0, $"invalid setting name: {key}");
            }

            settings[key] = value;
        }

        if (!settings.TryGetValue(JobSettings.Test, out var test) || string.IsNullOrWhiteSpace(test))
        {
            return (settings, 0, "Missing parameter: TEST");
        }

        return (settings, priority, null);
    }

    private static async Task<Dictionary<long, string>> KnownFailureNamesAsync(NeedleworkDbContext db, IReadOnlyCollection<Job> jobs, CancellationToken cancellationToken)
    {
        var ids = jobs.Where(j => j.KnownFailureId != null).Select(j => j.KnownFailureId!.Value).Distinct().ToList();
        return ids.Count == 0
            ? []
            : await db.KnownFailures.AsNoTracking().Where(k => ids.Contains(k.Id)).ToDictionaryAsync(k => k.Id, k => k.Name, cancellationToken);
    }

    private static string? Name(Dictionary<long, string> names, Job job) =>
        job.KnownFailureId is { } id && names.TryGetValue(id, out var name) ? name : null;
}
