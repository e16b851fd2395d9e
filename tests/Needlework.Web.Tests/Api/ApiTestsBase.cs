using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Needlework.Web.Data;
using Needlework.Web.Tests.Infrastructure;

namespace Needlework.Web.Tests.Api;

/// <summary>The API suite, run once on SQLite and once on a real PostgreSQL by the subclasses.</summary>
public abstract class ApiTestsBase
{
    protected ApiTestsBase(WebUiFactory factory)
    {
        Factory = factory;
    }

    protected WebUiFactory Factory { get; }

    protected static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Creates a job that no worker of another test can take (its own WORKER_CLASS).</summary>
    protected async Task<long> CreateJobAsync(HttpClient client, Dictionary<string, string>? settings = null)
    {
        settings ??= [];
        settings.TryAdd("TEST", Unique("t"));
        settings.TryAdd("WORKER_CLASS", Unique("nobody"));
        var response = await client.PostAsync("/api/v1/jobs", new FormUrlEncodedContent(settings));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    protected async Task<JsonElement> GetJobAsync(long id)
    {
        var json = await Factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{id}");
        return json.GetProperty("job");
    }

    protected static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? contains = null)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = body.GetProperty("error").GetString();
        Assert.False(string.IsNullOrEmpty(error));
        if (contains is not null)
        {
            Assert.Contains(contains, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CreateJobFromFormReturnsIdAndJobHasOpenQaShape()
    {
        var (client, _) = await Factory.SignedClientAsync();
        var test = Unique("boot");
        var id = await CreateJobAsync(client, new() { ["TEST"] = test, ["DISTRI"] = "debian", ["VERSION"] = "12", ["FLAVOR"] = "dvd", ["ARCH"] = "x86_64", ["BUILD"] = "1", ["MACHINE"] = "64bit" });
        var job = await GetJobAsync(id);
        Assert.Equal(id, job.GetProperty("id").GetInt64());
        Assert.Equal($"debian-12-dvd-x86_64-Build1-{test}@64bit", job.GetProperty("name").GetString());
        Assert.Equal("scheduled", job.GetProperty("state").GetString());
        Assert.Equal("none", job.GetProperty("result").GetString());
        Assert.Equal(50, job.GetProperty("priority").GetInt32());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("clone_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("t_started").ValueKind);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("assigned_worker_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("backend").ValueKind);
        Assert.Equal("x86_64", job.GetProperty("settings").GetProperty("ARCH").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", job.GetProperty("t_created").GetString());
    }

    [Fact]
    public async Task CreateJobFromQueryAndJsonBodies()
    {
        var (client, _) = await Factory.SignedClientAsync();
        var fromQuery = await client.PostAsync("/api/v1/jobs?TEST=q1&WORKER_CLASS=nobody-q&_PRIORITY=30", null);
        Assert.Equal(HttpStatusCode.OK, fromQuery.StatusCode);
        var qid = (await fromQuery.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(30, (await GetJobAsync(qid)).GetProperty("priority").GetInt32());

        var fromJson = await client.PostAsync("/api/v1/jobs", new StringContent("""{"TEST":"j1","WORKER_CLASS":"nobody-j","QEMUCPUS":2}""", new MediaTypeHeaderValue("application/json")));
        Assert.Equal(HttpStatusCode.OK, fromJson.StatusCode);
        var jid = (await fromJson.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal("2", (await GetJobAsync(jid)).GetProperty("settings").GetProperty("QEMUCPUS").GetString());
    }

    [Fact]
    public async Task BadInputIsAnsweredWithJsonErrors()
    {
        var (client, _) = await Factory.SignedClientAsync();
        await AssertErrorAsync(await client.PostAsync("/api/v1/jobs", new StringContent("{\"TEST\":", new MediaTypeHeaderValue("application/json"))), HttpStatusCode.BadRequest, "malformed JSON");
        await AssertErrorAsync(await client.PostAsync("/api/v1/jobs", new StringContent("[1,2]", new MediaTypeHeaderValue("application/json"))), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await client.PostAsync("/api/v1/jobs", new FormUrlEncodedContent(new Dictionary<string, string> { ["ARCH"] = "x" })), HttpStatusCode.BadRequest, "TEST");
        await AssertErrorAsync(await client.PostAsync("/api/v1/jobs", new FormUrlEncodedContent(new Dictionary<string, string> { ["TEST"] = "x", ["BAD KEY"] = "1" })), HttpStatusCode.BadRequest, "invalid setting");
        await AssertErrorAsync(await client.PostAsync("/api/v1/jobs?TEST=x&_PRIORITY=high", null), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await client.GetAsync("/api/v1/jobs/999999"), HttpStatusCode.NotFound, "does not exist");
        await AssertErrorAsync(await client.GetAsync("/api/v1/experimental/jobs/999999/status"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await client.PostAsync("/api/v1/jobs/999999/restart", null), HttpStatusCode.NotFound);
        await AssertErrorAsync(await client.PostAsync("/api/v1/jobs/999999/cancel", null), HttpStatusCode.NotFound);
        await AssertErrorAsync(await client.PostAsync("/api/v1/jobs/999999/duplicate", null), HttpStatusCode.NotFound);
        await AssertErrorAsync(await client.PostAsync("/api/v1/jobs/999999/prio?prio=3", null), HttpStatusCode.NotFound);
        await AssertErrorAsync(await client.PostAsync("/api/v1/jobs/1/prio?prio=x", null), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await client.GetAsync("/api/v1/jobs?state=flying"), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await client.GetAsync("/api/v1/jobs?limit=-1"), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await client.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await client.PostAsync("/api/v1/isos", new FormUrlEncodedContent(new Dictionary<string, string> { ["DISTRI"] = "d" })), HttpStatusCode.BadRequest, "Missing parameter");
        await AssertErrorAsync(await client.PostAsync("/api/v1/known_failures", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "x", ["reason_pattern"] = "(" })), HttpStatusCode.BadRequest, "invalid pattern");
        await AssertErrorAsync(await client.DeleteAsync("/api/v1/known_failures/99999"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await client.PostAsync("/api/v1/thresholds/qemu?max_stall_seconds=-3", null), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await client.PostAsync("/api/v1/workers", new FormUrlEncodedContent(new Dictionary<string, string> { ["host"] = "h", ["instance"] = "x" })), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WritingNeedsAValidFreshUnrepeatedSignature()
    {
        var anonymous = Factory.CreateClient();
        await AssertErrorAsync(await anonymous.PostAsync("/api/v1/jobs?TEST=x", null), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/v1/jobs")).StatusCode);

        var key = await Factory.CreateKeyAsync();
        var wrongSecret = Factory.CreateDefaultClient(new HmacHandler(key.Key, "0000000000000000"));
        await AssertErrorAsync(await wrongSecret.PostAsync("/api/v1/jobs?TEST=x", null), HttpStatusCode.Forbidden);
        var unknownKey = Factory.CreateDefaultClient(new HmacHandler("FFFFFFFFFFFFFFFF", key.Secret));
        await AssertErrorAsync(await unknownKey.PostAsync("/api/v1/jobs?TEST=x", null), HttpStatusCode.Forbidden);
        var stale = Factory.CreateDefaultClient(new HmacHandler(key.Key, key.Secret, () => DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 301));
        await AssertErrorAsync(await stale.PostAsync("/api/v1/jobs?TEST=x", null), HttpStatusCode.Forbidden, "timestamp");

        var expired = await Factory.CreateKeyAsync(TimeSpan.FromSeconds(-1));
        var expiredClient = Factory.CreateDefaultClient(new HmacHandler(expired.Key, expired.Secret));
        await AssertErrorAsync(await expiredClient.PostAsync("/api/v1/jobs?TEST=x", null), HttpStatusCode.Forbidden, "expired");

        // The same signed request sent twice: the copy is refused.
        var plain = Factory.CreateClient();
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/jobs?TEST=replay&WORKER_CLASS=nobody-r");
            HmacHandler.Sign(request.Headers, "/api/v1/jobs?TEST=replay&WORKER_CLASS=nobody-r", key.Key, key.Secret, stamp);
            return request;
        }

        Assert.Equal(HttpStatusCode.OK, (await plain.SendAsync(Build())).StatusCode);
        await AssertErrorAsync(await plain.SendAsync(Build()), HttpStatusCode.Forbidden, "replayed");
    }

    [Fact]
    public async Task CancelRestartDuplicateAndPrio()
    {
        var (client, key) = await Factory.SignedClientAsync();
        var id = await CreateJobAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/api/v1/jobs/{id}/prio?prio=10", null)).StatusCode);
        Assert.Equal(10, (await GetJobAsync(id)).GetProperty("priority").GetInt32());

        // Signed a few seconds earlier so that the later, identical restart is not taken for a replay of this one.
        var earlier = Factory.CreateDefaultClient(new HmacHandler(key.Key, key.Secret, () => DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5));
        await AssertErrorAsync(await earlier.PostAsync($"/api/v1/jobs/{id}/restart", null), HttpStatusCode.BadRequest);
        var cancel = await client.PostAsync($"/api/v1/jobs/{id}/cancel", null);
        Assert.Equal(1, (await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetInt32());
        var cancelled = await GetJobAsync(id);
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        Assert.Equal("user_cancelled", cancelled.GetProperty("result").GetString());

        var restart = await (await client.PostAsync($"/api/v1/jobs/{id}/restart", null)).Content.ReadFromJsonAsync<JsonElement>();
        var cloneId = restart.GetProperty("result")[0].GetProperty(id.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetInt64();
        Assert.Equal(cloneId, (await GetJobAsync(id)).GetProperty("clone_id").GetInt64());
        Assert.Equal("scheduled", (await GetJobAsync(cloneId)).GetProperty("state").GetString());

        // Restarting the original again follows the chain to the newest job.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"/api/v1/jobs/{id}/duplicate", null)).StatusCode);
        await client.PostAsync($"/api/v1/jobs/{cloneId}/cancel", null);
        var dup = await (await client.PostAsync($"/api/v1/jobs/{cloneId}/duplicate?prio=5", null)).Content.ReadFromJsonAsync<JsonElement>();
        var dupId = dup.GetProperty("id").GetInt64();
        Assert.Equal(5, (await GetJobAsync(dupId)).GetProperty("priority").GetInt32());

        var status = await Factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/v1/experimental/jobs/{dupId}/status");
        Assert.Equal("scheduled", status.GetProperty("state").GetString());
        var again = await (await earlier.PostAsync($"/api/v1/jobs/{id}/cancel", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("result").GetInt32());
    }

    [Fact]
    public async Task ListFiltersByStateResultTestAndIds()
    {
        var (client, _) = await Factory.SignedClientAsync();
        var test = Unique("list");
        var a = await CreateJobAsync(client, new() { ["TEST"] = test });
        var b = await CreateJobAsync(client, new() { ["TEST"] = test });
        await client.PostAsync($"/api/v1/jobs/{b}/cancel", null);
        var anonymous = Factory.CreateClient();
        var all = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?test={test}");
        Assert.Equal(2, all.GetProperty("jobs").GetArrayLength());
        var scheduled = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?test={test}&state=scheduled");
        Assert.Equal(a, scheduled.GetProperty("jobs")[0].GetProperty("id").GetInt64());
        var cancelled = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?result=user_cancelled&ids={a},{b}");
        Assert.Equal(b, Assert.Single(cancelled.GetProperty("jobs").EnumerateArray()).GetProperty("id").GetInt64());
        var limited = await anonymous.GetFromJsonAsync<JsonElement>($"/api/v1/jobs?test={test}&limit=1");
        Assert.Equal(1, limited.GetProperty("jobs").GetArrayLength());
    }

    [Fact]
    public async Task IsosSchedulesOneJobPerTest()
    {
        var (client, _) = await Factory.SignedClientAsync();
        var response = await client.PostAsync("/api/v1/isos", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["DISTRI"] = "debian", ["VERSION"] = "12", ["FLAVOR"] = "netinst", ["ARCH"] = "x86_64", ["BUILD"] = "9", ["TEST"] = "a,b", ["WORKER_CLASS"] = Unique("nobody"),
        }));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, json.GetProperty("count").GetInt32());
        var second = await GetJobAsync(json.GetProperty("ids")[1].GetInt64());
        Assert.Equal("b", second.GetProperty("test").GetString());
    }

    [Fact]
    public async Task KnownFailuresCanBeListedCreatedAndDeleted()
    {
        var (client, _) = await Factory.SignedClientAsync();
        var created = await client.PostAsync("/api/v1/known_failures", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "slow", ["category_pattern"] = "slow_.*", ["retrigger"] = "1" }));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var list = await Factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/known_failures");
        Assert.Contains(list.GetProperty("known_failures").EnumerateArray(), k => k.GetProperty("id").GetInt64() == id && k.GetProperty("retrigger").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/api/v1/known_failures/{id}")).StatusCode);
    }

    [Fact]
    public async Task MetricsAndPagesRender()
    {
        var (client, _) = await Factory.SignedClientAsync();
        var id = await CreateJobAsync(client, new() { ["TEST"] = "page<script>" });
        var anonymous = Factory.CreateClient();
        var metrics = await anonymous.GetStringAsync("/metrics");
        Assert.Contains("needlework_jobs{state=\"scheduled\"}", metrics, StringComparison.Ordinal);
        var list = await anonymous.GetStringAsync("/tests?state=scheduled");
        Assert.Contains($"/tests/{id}", list, StringComparison.Ordinal);
        Assert.DoesNotContain("page<script>", list, StringComparison.Ordinal);
        var page = await anonymous.GetStringAsync($"/tests/{id}");
        Assert.Contains("id=\"job-summary\"", page, StringComparison.Ordinal);
        foreach (var path in new[] { "/workers", "/known_failures", "/statistics", "/api/v1/statistics", "/api/v1/thresholds", "/api/v1/workers" })
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/tests/9999999")).StatusCode);
    }

    [Fact]
    public async Task ThresholdsCanBeSetPerWorkerClass()
    {
        var (client, _) = await Factory.SignedClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/api/v1/thresholds/manual_class?max_stall_seconds=12&max_stalled_percent=25&window_seconds=60", null)).StatusCode);
        var list = await Factory.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/thresholds");
        var entry = list.GetProperty("thresholds").EnumerateArray().Single(t => t.GetProperty("worker_class").GetString() == "manual_class");
        Assert.Equal(12, entry.GetProperty("max_stall_seconds").GetDouble());
    }

    protected async Task<NeedleworkDbContext> DbAsync()
    {
        await Task.Yield();
        return Factory.Services.CreateScope().ServiceProvider.GetRequiredService<NeedleworkDbContext>();
    }
}
