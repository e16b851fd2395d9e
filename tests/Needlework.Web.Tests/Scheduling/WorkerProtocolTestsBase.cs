using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Needlework.Web.Data;
using Needlework.Web.Tests.Infrastructure;

namespace Needlework.Web.Tests.Scheduling;

/// <summary>The worker protocol and the scheduler, against SQLite and PostgreSQL by the subclasses.</summary>
public abstract class WorkerProtocolTestsBase
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["Needlework:WorkerTimeout"] = "00:00:02",
        ["Needlework:LiveViewIdle"] = "00:00:01",
        ["Needlework:Slowness:Default:MaxStallSeconds"] = "10",
        ["Needlework:Slowness:Default:MaxStalledPercent"] = "20",
        ["Needlework:AutoRetrigger:Enabled"] = "true",
        ["Needlework:AutoRetrigger:Limit"] = "2",
        ["Needlework:Uploads:Screenshot"] = "4096",
    };

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    protected WorkerProtocolTestsBase(WebUiFactory factory)
    {
        Factory = factory;
    }

    protected WebUiFactory Factory { get; }

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<long> CreateJobAsync(HttpClient client, string workerClass, string? test = null, int priority = 50)
    {
        var response = await client.PostAsync("/api/v1/jobs", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["TEST"] = test ?? Unique("t"), ["WORKER_CLASS"] = workerClass, ["_PRIORITY"] = priority.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private async Task<JsonElement> JobAsync(long id) =>
        (await Factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}")).GetProperty("job");

    private static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, new MediaTypeHeaderValue("application/json")));

    private static MultipartFormDataContent Upload(string type, string? name, byte[]? file, string? checksum = null)
    {
        var form = new MultipartFormDataContent { { new StringContent(type), "type" } };
        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }

        if (checksum is not null)
        {
            form.Add(new StringContent(checksum), "checksum");
        }

        if (file is not null)
        {
            form.Add(new ByteArrayContent(file), "file", name ?? "file");
        }

        return form;
    }

    private async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met in time");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task FullJobLifecycleWithModulesArtefactsAndBackendReason()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var workerClass = Unique("qemu");
        await using var worker = await FakeWorker.RegisterAsync(Factory, client, key, Unique("host"), 1, workerClass);
        var id = await CreateJobAsync(client, workerClass);

        var grab = await worker.NextAsync("grab_job");
        Assert.Equal(id, grab.GetProperty("job").GetProperty("id").GetInt64());
        Assert.Equal("10", grab.GetProperty("job").GetProperty("settings").GetProperty("NEEDLEWORK_MAX_STALL").GetString());
        Assert.Equal("20", grab.GetProperty("job").GetProperty("settings").GetProperty("NEEDLEWORK_MAX_STALLED_PERCENT").GetString());
        Assert.Equal("assigned", (await JobAsync(id)).GetProperty("state").GetString());

        await worker.SendAsync(new { type = "accepted", jobid = id });
        await WaitForAsync(async () => (await JobAsync(id)).GetProperty("state").GetString() == "setup", TimeSpan.FromSeconds(5));

        var status = await PostJsonAsync(client, $"/api/v1/jobs/{id}/status", $$$$$"""
            {"status":{"worker_id":{{{{{worker.Id}}}}},"job_state":"running",
             "test_order":[{"name":"boot","category":"installation","script":"tests/boot.cs","flags":{}},{"name":"shutdown","category":"console"}],
             "result":{"boot":{"result":"ok","details":[{"result":"ok","screenshot":"boot-1.png","needle":"grub","area":[{"x":10,"y":20,"w":30,"h":40,"similarity":0.99}]}]}}}}
            """);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        var running = await JobAsync(id);
        Assert.Equal("running", running.GetProperty("state").GetString());
        Assert.Equal("passed", running.GetProperty("modules")[0].GetProperty("result").GetString());
        Assert.Equal("none", running.GetProperty("modules")[1].GetProperty("result").GetString());

        // Screenshots are stored once per checksum; a known checksum links without a body.
        var first = await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("screenshot", "boot-1.png", Png));
        var firstJson = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(firstJson.GetProperty("stored").GetBoolean());
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Png));
        Assert.Equal(checksum, firstJson.GetProperty("checksum").GetString());
        var linked = await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("screenshot", "boot-2.png", null, checksum));
        Assert.False((await linked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("stored").GetBoolean());
        Assert.Single(Directory.GetFiles(Path.Combine(Factory.DataDirectory, "screenshots"), "*.png", SearchOption.AllDirectories));
        Assert.Equal(Png, await Factory.CreateClient().GetByteArrayAsync($"/tests/{id}/images/boot-2.png"));

        // Bad uploads are refused and leave nothing behind.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("screenshot", "big.png", new byte[5000]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("log", "../../etc/evil", [1]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("log", "a/b.txt", [1]))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("log", ".hidden", [1]))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("screenshot", "x.png", null, new string('a', 64)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("stats", "stats.json", "{oops"u8.ToArray()))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("bogus", "x.txt", [1]))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/jobs/9999999/artefact", Upload("log", "x.txt", [1]))).StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(Factory.DataDirectory, "tmp")));
        Assert.False(File.Exists(Path.Combine(Factory.DataDirectory, "etc", "evil")));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("log", "autoinst-log.txt", "hello log"u8.ToArray()))).StatusCode);
        var stats = """{"summary":{"max_stall_s":42.5,"stalled_percent":55,"load":5.1},"timeline":[{"t":0,"stall_s":0.5},{"t":1,"stall_s":42.5},{"t":2,"stall_s":0.4}]}""";
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("stats", "stats.json", System.Text.Encoding.UTF8.GetBytes(stats)))).StatusCode);

        var done = await PostJsonAsync(client, $"/api/v1/jobs/{id}/set_done", $$$$$"""
            {"worker_id":{{{{{worker.Id}}}}},"result":"failed","reason":"backend too slow: 55% of the last 60 s stalled (limit 20%)",
             "backend":{"component":"backend","category":"slow_sut","message":"55% stalled","statistics":{"max_stall_s":42.5}}}
            """);
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var finished = await JobAsync(id);
        Assert.Equal("done", finished.GetProperty("state").GetString());
        Assert.Equal("failed", finished.GetProperty("result").GetString());
        Assert.StartsWith("backend too slow", finished.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("slow_sut", finished.GetProperty("backend").GetProperty("category").GetString());
        Assert.NotEqual(JsonValueKind.Null, finished.GetProperty("t_finished").ValueKind);

        var workers = await Factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/workers/{worker.Id}");
        Assert.Equal("idle", workers.GetProperty("worker").GetProperty("status").GetString());

        // The repeat of a set_done (answer lost) gets the same answer.
        var repeat = await PostJsonAsync(client, $"/api/v1/jobs/{id}/set_done", $$$$$"""{"worker_id":{{{{{worker.Id}}}}},"result":"failed","reason":"again"}""");
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);

        var page = await Factory.CreateClient().GetStringAsync($"/tests/{id}");
        Assert.Contains("id=\"stall-timeline\"", page, StringComparison.Ordinal);
        Assert.Contains("class=\"area\"", page, StringComparison.Ordinal);
        Assert.Contains("&quot;category&quot;: &quot;slow_sut&quot;", page, StringComparison.Ordinal);
        Assert.Contains("autoinst-log.txt", page, StringComparison.Ordinal);
        Assert.Equal("hello log", await Factory.CreateClient().GetStringAsync($"/tests/{id}/file/autoinst-log.txt"));
        Assert.Equal(HttpStatusCode.BadRequest, (await Factory.CreateClient().GetAsync($"/tests/{id}/file/..%2F..%2Fneedlework.db")).StatusCode);

        var statistics = await Factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/statistics");
        Assert.True(statistics.GetProperty("stopped_for_slowness").GetInt32() >= 1);
        Assert.Contains("needlework_jobs_stopped_for_slowness_total{category=\"slow_sut\"}", await Factory.CreateClient().GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusAndSetDoneRefuseBadInput()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var workerClass = Unique("bad");
        await using var worker = await FakeWorker.RegisterAsync(Factory, client, key, Unique("host"), 1, workerClass);
        var id = await CreateJobAsync(client, workerClass);
        await worker.NextAsync("grab_job");
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(client, $"/api/v1/jobs/{id}/status", "{\"status\":")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(client, $"/api/v1/jobs/{id}/status", """{"status":{"worker_id":999999}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(client, $"/api/v1/jobs/{id}/status", """{"status":{}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(client, $"/api/v1/jobs/{id}/status", $$$$$"""{"status":{"worker_id":{{{{{worker.Id}}}}},"job_state":"done"}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostJsonAsync(client, "/api/v1/jobs/9999999/status", """{"status":{"worker_id":1}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(client, $"/api/v1/jobs/{id}/set_done", $$$$$"""{"worker_id":{{{{{worker.Id}}}}},"result":"splendid"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(client, $"/api/v1/jobs/{id}/set_done", """{"worker_id":999999,"result":"passed"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostJsonAsync(client, $"/api/v1/jobs/{id}/set_done", """{"backend":{"component":""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PostJsonAsync(client, "/api/v1/jobs/9999999/set_done", """{"result":"passed"}""")).StatusCode);
        Assert.Equal("assigned", (await JobAsync(id)).GetProperty("state").GetString());

        // No module results and no result: incomplete, as openQA decides.
        var last = await PostJsonAsync(client, $"/api/v1/jobs/{id}/set_done", $$$$$"""{"worker_id":{{{{{worker.Id}}}}}}""");
        Assert.True(last.IsSuccessStatusCode, await last.Content.ReadAsStringAsync());
        Assert.Equal("incomplete", (await JobAsync(id)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task VanishedWorkerLeavesItsJobAbandoned()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var workerClass = Unique("gone");
        var host = Unique("host");
        var worker = await FakeWorker.RegisterAsync(Factory, client, key, host, 3, workerClass);
        var id = await CreateJobAsync(client, workerClass);
        await worker.NextAsync("grab_job");
        await worker.SendAsync(new { type = "accepted", jobid = id });
        await PostJsonAsync(client, $"/api/v1/jobs/{id}/status", $$$$$"""{"status":{"worker_id":{{{{{worker.Id}}}}},"job_state":"running"}}""");
        worker.Abort();
        await worker.DisposeAsync();
        await WaitForAsync(async () => (await JobAsync(id)).GetProperty("state").GetString() == "done", TimeSpan.FromSeconds(8));
        var job = await JobAsync(id);
        Assert.Equal("incomplete", job.GetProperty("result").GetString());
        Assert.Equal($"abandoned: associated worker {host}:3 has not sent any status updates for too long", job.GetProperty("reason").GetString());
        var w = await Factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/workers/{worker.Id}");
        Assert.Equal("dead", w.GetProperty("worker").GetProperty("status").GetString());
    }

    [Fact]
    public async Task KnownFailureIsMarkedAndRetriggeredOntoAnotherWorkerUpToTheLimit()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var marker = Unique("flaky");
        var kf = await client.PostAsync("/api/v1/known_failures", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = marker, ["reason_pattern"] = "backend died: .*" + marker, ["retrigger"] = "1" }));
        var kfId = (await kf.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var workerClass = Unique("retry");
        await using var a = await FakeWorker.RegisterAsync(Factory, client, key, Unique("a"), 1, workerClass);
        var id = await CreateJobAsync(client, workerClass);
        Assert.Equal(id, (await a.NextAsync("grab_job")).GetProperty("job").GetProperty("id").GetInt64());
        await using var b = await FakeWorker.RegisterAsync(Factory, client, key, Unique("b"), 1, workerClass);

        var chain = new List<long> { id };
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var current = chain[^1];
            var holder = attempt % 2 == 0 ? a : b;
            var response = await PostJsonAsync(client, $"/api/v1/jobs/{current}/set_done", $$$$$"""{"worker_id":{{{{{holder.Id}}}}},"result":"incomplete","reason":"backend died: VNC {{{{{marker}}}}}"}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var job = await JobAsync(current);
            Assert.Equal(marker, job.GetProperty("known_failure").GetString());
            if (attempt < 2)
            {
                Assert.Contains($"Auto-retriggered: matches known failure \"{marker}\", retry {attempt + 1} of 2", job.GetProperty("reason").GetString(), StringComparison.Ordinal);
                var clone = job.GetProperty("clone_id").GetInt64();
                chain.Add(clone);

                // The clone goes preferably to the other worker.
                var other = holder == a ? b : a;
                Assert.Equal(clone, (await other.NextAsync("grab_job")).GetProperty("job").GetProperty("id").GetInt64());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, job.GetProperty("clone_id").ValueKind);
                Assert.Contains("Not retriggered", job.GetProperty("reason").GetString(), StringComparison.Ordinal);
            }
        }

        var filtered = await Factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/jobs?known_failure={kfId}");
        Assert.Equal(3, filtered.GetProperty("jobs").GetArrayLength());
        Assert.Contains(marker, await Factory.CreateClient().GetStringAsync($"/tests?known_failure={kfId}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerClassAndPriorityDecideAssignment()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var c1 = Unique("c1");
        var c2 = Unique("c2");
        var low = await CreateJobAsync(client, $"{c1},{c2}", priority: 60);
        var high = await CreateJobAsync(client, $"{c1},{c2}", priority: 40);
        await using var partial = await FakeWorker.RegisterAsync(Factory, client, key, Unique("p"), 1, c1);
        await using var full = await FakeWorker.RegisterAsync(Factory, client, key, Unique("f"), 1, $"{c2},{c1},extra");
        Assert.Equal(high, (await full.NextAsync("grab_job")).GetProperty("job").GetProperty("id").GetInt64());
        await Task.Delay(300);
        Assert.False(partial.TryNext(out _));
        Assert.Equal("scheduled", (await JobAsync(low)).GetProperty("state").GetString());

        // Freeing the worker assigns the next job at once, without a tick.
        await PostJsonAsync(client, $"/api/v1/jobs/{high}/set_done", $$$$$"""{"worker_id":{{{{{full.Id}}}}},"result":"passed"}""");
        Assert.Equal(low, (await full.NextAsync("grab_job", TimeSpan.FromSeconds(3))).GetProperty("job").GetProperty("id").GetInt64());

        // A cancel reaches the worker over its WebSocket.
        await client.PostAsync($"/api/v1/jobs/{low}/cancel", null);
        Assert.Equal(low, (await full.NextAsync("cancel")).GetProperty("jobid").GetInt64());
    }

    [Fact]
    public async Task RejectedJobGoesBackToTheQueue()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var workerClass = Unique("rej");
        await using var worker = await FakeWorker.RegisterAsync(Factory, client, key, Unique("h"), 1, workerClass);
        var id = await CreateJobAsync(client, workerClass);
        await worker.NextAsync("grab_job");
        await worker.SendAsync(new { type = "worker_status", status = "broken", reason = "load 9.5 above 4" });
        await worker.SendAsync(new { type = "rejected", jobid = id, reason = "broken" });
        await WaitForAsync(async () => (await JobAsync(id)).GetProperty("state").GetString() == "scheduled", TimeSpan.FromSeconds(5));
        var w = await Factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/workers/{worker.Id}");
        Assert.Equal("broken", w.GetProperty("worker").GetProperty("status").GetString());
        Assert.Equal("load 9.5 above 4", w.GetProperty("worker").GetProperty("error").GetString());
        await worker.SendAsync(new { type = "worker_status", status = "free" });
        Assert.Equal(id, (await worker.NextAsync("grab_job")).GetProperty("job").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task LiveViewStartsAndStopsWithTheViewer()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var workerClass = Unique("live");
        await using var worker = await FakeWorker.RegisterAsync(Factory, client, key, Unique("h"), 1, workerClass);
        var id = await CreateJobAsync(client, workerClass);
        await worker.NextAsync("grab_job");
        var browser = Factory.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await browser.GetAsync($"/tests/{id}/live.png")).StatusCode);
        Assert.Equal(id, (await worker.NextAsync("livelog_start")).GetProperty("jobid").GetInt64());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/jobs/{id}/artefact", Upload("live", null, Png))).StatusCode);
        Assert.Equal(Png, await browser.GetByteArrayAsync($"/tests/{id}/live.png"));
        Assert.Equal(id, (await worker.NextAsync("livelog_stop", TimeSpan.FromSeconds(5))).GetProperty("jobid").GetInt64());
    }

    [Fact]
    public async Task StoredThresholdsForTheWorkerClassWinOverTheDefault()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var workerClass = Unique("thr");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/thresholds/{workerClass}?max_stall_seconds=7&baseline_factor=3", null)).StatusCode);
        await using var worker = await FakeWorker.RegisterAsync(Factory, client, key, Unique("h"), 1, workerClass);
        await CreateJobAsync(client, workerClass);
        var settings = (await worker.NextAsync("grab_job")).GetProperty("job").GetProperty("settings");
        Assert.Equal("7", settings.GetProperty("NEEDLEWORK_MAX_STALL").GetString());
        Assert.Equal("3", settings.GetProperty("NEEDLEWORK_SLOWNESS_FACTOR").GetString());
        Assert.False(settings.TryGetProperty("NEEDLEWORK_MAX_STALLED_PERCENT", out _));
    }

    [Fact]
    public async Task ReRegistrationKeepsTheJobItNamesAndAbandonsTheRest()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var workerClass = Unique("rereg");
        var host = Unique("h");
        await using var worker = await FakeWorker.RegisterAsync(Factory, client, key, host, 1, workerClass);
        var id = await CreateJobAsync(client, workerClass);
        await worker.NextAsync("grab_job");
        await PostJsonAsync(client, $"/api/v1/jobs/{id}/status", $$$$$"""{"status":{"worker_id":{{{{{worker.Id}}}}},"job_state":"running"}}""");

        // Back after a web UI restart, still on the job: nothing changes.
        var again = await client.PostAsync("/api/v1/workers", new FormUrlEncodedContent(new Dictionary<string, string> { ["host"] = host, ["instance"] = "1", ["worker_class"] = workerClass, ["job_id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.Equal(worker.Id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        Assert.Equal("running", (await JobAsync(id)).GetProperty("state").GetString());

        // Back without it: the job is lost.
        await client.PostAsync("/api/v1/workers", new FormUrlEncodedContent(new Dictionary<string, string> { ["host"] = host, ["instance"] = "1", ["worker_class"] = workerClass }));
        var job = await JobAsync(id);
        Assert.Equal("incomplete", job.GetProperty("result").GetString());
        Assert.Contains("re-connected but abandoned the job", job.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiftyRacingWorkersGetEachJobExactlyOnce()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var workerClass = Unique("race");
        var prefix = Unique("racer");
        var workers = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => FakeWorker.RegisterAsync(Factory, client, key, prefix, i, workerClass)));
        try
        {
            var ids = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => CreateJobAsync(client, workerClass)));
            var grabs = new List<(long Worker, long Job)>();
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (grabs.Count < 10 && DateTime.UtcNow < until)
            {
                foreach (var w in workers)
                {
                    while (w.TryNext(out var message))
                    {
                        if (message.GetProperty("type").GetString() == "grab_job")
                        {
                            grabs.Add((w.Id, message.GetProperty("job").GetProperty("id").GetInt64()));
                        }
                    }
                }

                await Task.Delay(50);
            }

            await Task.Delay(500);
            foreach (var w in workers)
            {
                while (w.TryNext(out var message))
                {
                    grabs.Add((w.Id, message.GetProperty("job").GetProperty("id").GetInt64()));
                }
            }

            Assert.Equal(10, grabs.Count);
            Assert.Equal(ids.Order(), grabs.Select(g => g.Job).Order());
            Assert.Equal(10, grabs.Select(g => g.Worker).Distinct().Count());
            foreach (var (w, j) in grabs)
            {
                var job = await JobAsync(j);
                Assert.True(job.GetProperty("state").GetString() == "assigned", job.ToString());
                Assert.Equal(w, job.GetProperty("assigned_worker_id").GetInt64());
            }
        }
        finally
        {
            foreach (var w in workers)
            {
                await w.DisposeAsync();
            }
        }
    }
}
