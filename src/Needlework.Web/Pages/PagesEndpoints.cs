using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Needlework.Core.Jobs;
using Needlework.Web.Api;
using Needlework.Web.Artefacts;
using Needlework.Web.Data;
using Needlework.Web.Scheduling;
using Needlework.Web.Statistics;
using static Needlework.Web.Pages.Html;

namespace Needlework.Web.Pages;

/// <summary>Server-rendered pages: job list, job page, workers, known failures, statistics.</summary>
public static class PagesEndpoints
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void MapPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Results.Redirect("/tests"));
        routes.MapGet("/tests", JobListAsync);
        routes.MapGet("/tests/{id:long}", JobPageAsync);
        routes.MapGet("/workers", WorkersAsync);
        routes.MapGet("/known_failures", KnownFailuresAsync);
        routes.MapGet("/statistics", StatisticsAsync);
        routes.MapPost("/tests/{id:long}/restart", RestartAsync);
        routes.MapPost("/tests/{id:long}/cancel", CancelAsync);
    }

    internal static async Task<IResult> JobListAsync(HttpRequest request, NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var query = db.Jobs.AsNoTracking();
        if (JobWording.TryParseState(q["state"], out var state))
        {
            query = query.Where(j => j.State == state);
        }

        if (JobWording.TryParseResult(q["result"], out var result))
        {
            query = query.Where(j => j.Result == result);
        }

        var reason = q["reason"].ToString();
        if (reason.Length > 0)
        {
            query = query.Where(j => j.Reason != null && j.Reason.Contains(reason));
        }

        var known = q["known_failure"].ToString();
        if (known.Length > 0)
        {
            query = long.TryParse(known, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kf)
                ? query.Where(j => j.KnownFailureId == kf)
                : query.Where(j => j.KnownFailureId != null);
        }

        if (long.TryParse(q["worker"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var worker))
        {
            query = query.Where(j => j.LastWorkerId == worker);
        }

        var jobs = await query.OrderByDescending(j => j.Id).Take(500).ToListAsync(cancellationToken);
        var failures = await db.KnownFailures.AsNoTracking().ToDictionaryAsync(k => k.Id, k => k.Name, cancellationToken);
        var workers = await db.Workers.AsNoTracking().ToDictionaryAsync(w => w.Id, w => w.Name, cancellationToken);

        var filters = new StringBuilder("<form class=\"filters\" method=\"get\">");
        filters.Append(Select("state", q["state"], Enum.GetValues<JobState>().Select(s => s.ToWire())));
        filters.Append(Select("result", q["result"], Enum.GetValues<JobResult>().Select(r => r.ToWire())));
        filters.Append(CultureInfo.InvariantCulture, $"<input name=\"reason\" placeholder=\"reason contains\" value=\"{E(reason)}\">");
        filters.Append(Select("known_failure", known, failures.Select(f => f.Key.ToString(CultureInfo.InvariantCulture)), failures.ToDictionary(f => f.Key.ToString(CultureInfo.InvariantCulture), f => f.Value)));
        filters.Append(Select("worker", q["worker"], workers.Select(w => w.Key.ToString(CultureInfo.InvariantCulture)), workers.ToDictionary(w => w.Key.ToString(CultureInfo.InvariantCulture), w => w.Value)));
        filters.Append("<button>Filter</button></form>");

        var table = Table(
            ["Id", "Name", "State", "Result", "Reason", "Known failure", "Worker", "Finished"],
            jobs.Select(j => new[]
            {
                $"<a href=\"/tests/{j.Id}\">{j.Id}</a>",
                E(j.Name),
                E(j.State.ToWire()),
                $"<span class=\"{E(j.Result.ToWire())}\">{E(j.Result.ToWire())}</span>",
                E(j.Reason),
                j.KnownFailureId is { } k && failures.TryGetValue(k, out var n) ? $"<span class=\"tag known-failure\">{E(n)}</span>" : string.Empty,
                j.LastWorkerId is { } w && workers.TryGetValue(w, out var wn) ? E(wn) : string.Empty,
                E(JobJson.Time(j.TFinished)),
            }),
            "jobs");
        return Page("Jobs", filters + table);
    }

    internal static async Task<IResult> JobPageAsync(long id, NeedleworkDbContext db, ArtefactStore store, CancellationToken cancellationToken)
    {
        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null)
        {
            return Results.Content("Job not found", "text/plain", statusCode: 404);
        }

        var modules = await db.JobModules.AsNoTracking().Where(m => m.JobId == id).OrderBy(m => m.Ordinal).ToListAsync(cancellationToken);
        var known = job.KnownFailureId is { } k ? await db.KnownFailures.AsNoTracking().Where(f => f.Id == k).Select(f => f.Name).FirstOrDefaultAsync(cancellationToken) : null;
        var worker = job.LastWorkerId is { } w ? await db.Workers.AsNoTracking().FirstOrDefaultAsync(x => x.Id == w, cancellationToken) : null;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<p id=\"job-name\">{E(job.Name)}</p><table id=\"job-summary\">");
        Row(sb, "State", E(job.State.ToWire()));
        Row(sb, "Result", $"<span id=\"job-result\" class=\"{E(job.Result.ToWire())}\">{E(job.Result.ToWire())}</span>");
        Row(sb, "Reason", $"<span id=\"job-reason\">{E(job.Reason)}</span>");
        if (known is not null)
        {
            Row(sb, "Known failure", $"<span class=\"tag known-failure\">{E(known)}</span>");
        }

        Row(sb, "Worker", worker is null ? string.Empty : E(worker.Name));
        Row(sb, "Priority", job.Priority.ToString(CultureInfo.InvariantCulture));
        Row(sb, "Started", E(JobJson.Time(job.TStarted)));
        Row(sb, "Finished", E(JobJson.Time(job.TFinished)));
        if (job.CloneId is { } clone)
        {
            Row(sb, "Cloned as", $"<a href=\"/tests/{clone}\">{clone}</a>");
        }

        sb.Append("</table>");
        if (job.CloneId is null && job.State != JobState.Scheduled)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/tests/{id}/restart\" style=\"display:inline\"><button id=\"restart\">Restart</button></form> ");
        }

        if (!job.State.IsFinal())
        {
            sb.Append(CultureInfo.InvariantCulture, $"<form method=\"post\" action=\"/tests/{id}/cancel\" style=\"display:inline\"><button id=\"cancel\">Cancel</button></form>");
        }

        if (job.Backend is { Length: > 0 } backend)
        {
            sb.Append("<h2>Backend</h2><pre id=\"backend\">").Append(E(Pretty(backend))).Append("</pre>");
        }

        if (job.State.IsExecuting())
        {
            // The live image is fetched only while this page is open; the web UI turns the worker's livelog on and off.
            sb.Append($$$"""
                <h2>Live view</h2><img id="live" alt="live view" src="/tests/{{{id}}}/live.png" style="max-width:100%">
                <script>setInterval(function(){var i=document.getElementById('live');fetch('/tests/{{{id}}}/live.png',{cache:'no-store'}).then(function(r){if(r.status===200)return r.blob();}).then(function(b){if(b){var u=URL.createObjectURL(b);i.onload=function(){URL.revokeObjectURL(u);};i.src=u;}});},1000);</script>
                """);
        }

        sb.Append("<h2>Modules</h2>");
        foreach (var module in modules)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h3 class=\"module\">{E(module.Name)} <span class=\"{E(module.Result)}\">{E(module.Result)}</span> <small>{E(module.Category)}</small></h3>");
            sb.Append(Steps(id, module.Details));
        }

        var stats = store.JobFile(id, "stats.json");
        if (stats is not null && File.Exists(stats))
        {
            sb.Append("<h2>Stall timeline</h2>");
            try
            {
                var doc = StatsDocument.Parse(await File.ReadAllTextAsync(stats, cancellationToken));
                sb.Append(StallTimeline.Svg(doc.Timeline, SlownessThresholds.FromSettings(job.Settings).MaxStallSeconds));
                sb.Append("<pre>").Append(E(Pretty(doc.SummaryJson ?? "{}"))).Append("</pre>");
            }
            catch (JsonException)
            {
                sb.Append("<p>stats.json is malformed.</p>");
            }
        }

        var dir = store.JobDirectory(id);
        if (Directory.Exists(dir))
        {
            var files = Directory.GetFiles(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            var video = files.FirstOrDefault(f => f.EndsWith(".webm", StringComparison.Ordinal) || f.EndsWith(".ogv", StringComparison.Ordinal));
            if (video is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<h2>Video</h2><video id=\"video\" controls src=\"/tests/{id}/file/{Uri.EscapeDataString(video)}\" style=\"max-width:100%\"></video>");
            }

            sb.Append("<h2>Logs and files</h2><ul id=\"files\">");
            foreach (var file in files)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/tests/{id}/file/{Uri.EscapeDataString(file)}\">{E(file)}</a></li>");
            }

            sb.Append("</ul>");
        }

        sb.Append("<h2>Settings</h2>").Append(Table(["Key", "Value"], job.Settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new[] { E(s.Key), E(s.Value) })));
        return Page($"Job {id}", sb.ToString());
    }

    internal static async Task<IResult> WorkersAsync(NeedleworkDbContext db, WorkerConnections connections, CancellationToken cancellationToken)
    {
        var workers = await db.Workers.AsNoTracking().OrderBy(w => w.Id).ToListAsync(cancellationToken);
        return Page("Workers", Table(
            ["Id", "Name", "Status", "Worker class", "Job", "Last seen", "Broken because"],
            workers.Select(w => new[]
            {
                w.Id.ToString(CultureInfo.InvariantCulture), E(w.Name), E(WorkersApi.Status(w)), E(w.WorkerClass),
                w.JobId is { } j ? $"<a href=\"/tests/{j}\">{j}</a>" : string.Empty,
                E(JobJson.Time(connections.LastSeen(w.Id) ?? w.TSeen)), E(w.Error),
            }),
            "workers"));
    }

    internal static async Task<IResult> KnownFailuresAsync(NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        var failures = await db.KnownFailures.AsNoTracking().OrderBy(f => f.Id).ToListAsync(cancellationToken);
        var counts = await db.Jobs.AsNoTracking().Where(j => j.KnownFailureId != null).GroupBy(j => j.KnownFailureId)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return Page("Known failures", Table(
            ["Id", "Name", "Reason pattern", "Category pattern", "Retrigger", "Jobs"],
            failures.Select(f => new[]
            {
                f.Id.ToString(CultureInfo.InvariantCulture), E(f.Name), $"<code>{E(f.ReasonPattern)}</code>", $"<code>{E(f.CategoryPattern)}</code>",
                f.Retrigger ? "yes" : "no",
                $"<a href=\"/tests?known_failure={f.Id}\">{counts.FirstOrDefault(c => c.Key == f.Id)?.Count ?? 0}</a>",
            }),
            "known-failures") + "<p>Edit with <code>POST /api/v1/known_failures</code> (name, reason_pattern, category_pattern, retrigger).</p>");
    }

    internal static async Task<IResult> StatisticsAsync(NeedleworkDbContext db, CancellationToken cancellationToken)
    {
        var report = await StatisticsReport.ComputeAsync(db, cancellationToken);
        var sb = new StringBuilder();
        var share = report.FinishedJobs == 0 ? 0 : 100.0 * report.StoppedForSlowness / report.FinishedJobs;
        sb.Append(CultureInfo.InvariantCulture, $"<p id=\"slowness-summary\">{report.StoppedForSlowness} of {report.FinishedJobs} finished jobs stopped for slowness ({share:0.#}%).</p>");
        foreach (var (title, groups) in new[] { ("By worker class", report.ByWorkerClass), ("By machine", report.ByMachine), ("By test", report.ByTest), ("By worker", report.ByWorker) })
        {
            sb.Append("<h2>").Append(E(title)).Append("</h2>");
            sb.Append(Table(
                ["Key", "Jobs", "Stopped for slowness", "%", "Longest stall p50 (s)", "p95 (s)", "max (s)", "Load at stop"],
                groups.Select(g => new[]
                {
                    E(g.Key), N(g.Jobs), N(g.StoppedForSlowness), N(g.StoppedPercent), N(g.MaxStallP50Seconds), N(g.MaxStallP95Seconds), N(g.MaxStallMaxSeconds), N(g.MeanLoadAtStop),
                })));
            sb.Append(Bars(groups));
        }

        sb.Append("<h2>Suggested thresholds</h2>").Append(Table(
            ["Worker class", "Passing jobs", "Max stall (s)", "Max stalled %", "Window (s)"],
            report.Suggestions.Select(s => new[] { E(s.WorkerClass), N(s.Samples), N(s.Thresholds?.MaxStallSeconds), N(s.Thresholds?.MaxStalledPercent), N(s.Thresholds?.WindowSeconds) }),
            "suggestions"));
        sb.Append("<p>Adopt with <code>POST /api/v1/thresholds/&lt;class&gt;</code> (values, or automatic=1 to follow the suggestion).</p>");
        return Page("Statistics", sb.ToString());
    }

    internal static async Task<IResult> RestartAsync(long id, HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        if (!IsLocal(context))
        {
            return Results.Content("Use the API with a key", "text/plain", statusCode: 403);
        }

        var job = await jobs.FindAsync(id, cancellationToken);
        if (job is null)
        {
            return Results.NotFound();
        }

        try
        {
            var (_, clone) = await jobs.RestartAsync(job, null, cancellationToken);
            return Results.Redirect($"/tests/{clone.Id}");
        }
        catch (InvalidJobTransitionException e)
        {
            return Results.Content(e.Message, "text/plain", statusCode: 400);
        }
    }

    internal static async Task<IResult> CancelAsync(long id, HttpContext context, JobService jobs, CancellationToken cancellationToken)
    {
        if (!IsLocal(context))
        {
            return Results.Content("Use the API with a key", "text/plain", statusCode: 403);
        }

        var job = await jobs.FindAsync(id, cancellationToken);
        if (job is null)
        {
            return Results.NotFound();
        }

        if (!job.State.IsFinal())
        {
            await jobs.CancelAsync(job, JobResult.UserCancelled, null, cancellationToken);
        }

        return Results.Redirect($"/tests/{id}");
    }

    // Pages have no login: their buttons work only for browsers on this machine (the web UI binds to loopback).
    private static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is null || IPAddress.IsLoopback(context.Connection.RemoteIpAddress);

    private static string Steps(long jobId, string? details)
    {
        if (string.IsNullOrEmpty(details))
        {
            return string.Empty;
        }

        var sb = new StringBuilder("<div class=\"steps\">");
        try
        {
            using var doc = JsonDocument.Parse(details);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return string.Empty;
            }

            foreach (var step in doc.RootElement.EnumerateArray())
            {
                if (step.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var result = Str(step, "result");
                var shot = Str(step, "screenshot");
                if (shot is null)
                {
                    var text = Str(step, "text") ?? Str(step, "title");
                    if (text is not null)
                    {
                        sb.Append(CultureInfo.InvariantCulture, $"<span class=\"tag {E(result)}\">{E(text)}</span> ");
                    }

                    continue;
                }

                sb.Append(CultureInfo.InvariantCulture, $"<div class=\"shot step {E(result)}\" title=\"{E(Str(step, "needle"))}\"><img src=\"/tests/{jobId}/images/{Uri.EscapeDataString(shot)}\" alt=\"{E(shot)}\">");
                if (step.TryGetProperty("area", out var areas) && areas.ValueKind == JsonValueKind.Array)
                {
                    foreach (var a in areas.EnumerateArray())
                    {
                        double V(string n) => a.TryGetProperty(n, out var v) && v.TryGetDouble(out var d) ? d : 0;
                        var similarity = a.TryGetProperty("similarity", out var s) && s.TryGetDouble(out var sim) ? sim : 0;
                        var cls = result == "fail" ? "area fail" : "area";
                        sb.Append(CultureInfo.InvariantCulture, $"<div class=\"{cls}\" title=\"{similarity:0.##}\" style=\"left:{V("x")}px;top:{V("y")}px;width:{V("w")}px;height:{V("h")}px\"></div>");
                    }
                }

                sb.Append("</div>");
            }
        }
        catch (JsonException)
        {
            return "<p>Module details are malformed.</p>";
        }

        return sb.Append("</div>").ToString();
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Pretty(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(doc.RootElement, Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static void Row(StringBuilder sb, string key, string valueHtml) =>
        sb.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(valueHtml).Append("</td></tr>");

    private static string Select(string name, string? current, IEnumerable<string> values, Dictionary<string, string>? labels = null)
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<select name=\"{E(name)}\"><option value=\"\">{E(name)}: any</option>");
        foreach (var v in values)
        {
            var selected = v == current ? " selected" : string.Empty;
            sb.Append(CultureInfo.InvariantCulture, $"<option value=\"{E(v)}\"{selected}>{E(labels?.GetValueOrDefault(v) ?? v)}</option>");
        }

        return sb.Append("</select>").ToString();
    }

    private static string N(double? value) => value is { } v ? E(v.ToString("0.##", CultureInfo.InvariantCulture)) : string.Empty;

    // A plot without scripts: one bar per group for the share stopped for slowness.
    private static string Bars(IReadOnlyList<StatisticsGroup> groups)
    {
        if (groups.Count == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg class=\"bars\" width=\"420\" height=\"{(groups.Count * 18) + 4}\" xmlns=\"http://www.w3.org/2000/svg\">");
        var y = 2;
        foreach (var g in groups)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 12}\" font-size=\"11\">{E(g.Key.Length > 18 ? g.Key[..18] : g.Key)}</text><rect x=\"120\" y=\"{y}\" height=\"14\" width=\"{g.StoppedPercent * 2.8:0.#}\" fill=\"#b00\"/><text x=\"{124 + (g.StoppedPercent * 2.8):0.#}\" y=\"{y + 12}\" font-size=\"11\">{g.StoppedPercent:0.#}%</text>");
            y += 18;
        }

        return sb.Append("</svg>").ToString();
    }
}
