// Time for Needlework's web UI to hand 1,000 queued jobs to 100 connected workers (issue 6, point 10).
// Run by bench/webui-assign.sh: dotnet run bench/webui-assign.cs -- <port> <key> <secret> [workers] [jobs]
// Each fake worker registers, opens its WebSocket, and answers every grab_job with "accepted" and then
// POST set_done?result=passed, so the scheduler can give it the next job: no test actually runs.
#:property PublishAot=false
#pragma warning disable CA5350 // HMAC-SHA1 is the openQA API's signature
using System.Diagnostics;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

var port = int.Parse(args[0]);
var key = args[1];
var secret = args[2];
var workerCount = args.Length > 3 ? int.Parse(args[3]) : 100;
var jobCount = args.Length > 4 ? int.Parse(args[4]) : 1000;
var baseUri = new Uri($"http://127.0.0.1:{port}");
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(5) };

HttpRequestMessage Signed(HttpMethod method, string pathAndQuery, HttpContent? content = null)
{
    var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
    var hash = Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(pathAndQuery + ts)));
    var m = new HttpRequestMessage(method, pathAndQuery) { Content = content };
    m.Headers.Add("X-API-Key", key);
    m.Headers.Add("X-API-Microtime", ts);
    m.Headers.Add("X-API-Hash", hash);
    return m;
}

async Task<JsonElement> Send(HttpRequestMessage m)
{
    using var r = await http.SendAsync(m);
    var body = await r.Content.ReadAsStringAsync();
    if (!r.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{m.Method} {m.RequestUri} -> {(int)r.StatusCode} {body}");
    }
    return JsonDocument.Parse(body).RootElement.Clone();
}

// 1. Queue the jobs while no worker is connected.
using (var gate = new SemaphoreSlim(4))
{
    await Task.WhenAll(Enumerable.Range(0, jobCount).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            await Send(Signed(HttpMethod.Post, "/api/v1/jobs", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["DISTRI"] = "bench", ["VERSION"] = "1", ["FLAVOR"] = "dvd", ["ARCH"] = "x86_64", ["BUILD"] = "assign",
                ["TEST"] = $"assign{i}", ["MACHINE"] = "64bit", ["WORKER_CLASS"] = "bench",
            })));
        }
        finally
        {
            gate.Release();
        }
    }));
}

// 2. Register the workers (not yet connected, so the scheduler cannot hand them anything).
var ids = new long[workerCount];
for (var i = 0; i < workerCount; i++)
{
    var r = await Send(Signed(HttpMethod.Post, "/api/v1/workers", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["host"] = "bench", ["instance"] = (i + 1).ToString(), ["worker_class"] = "bench", ["cpu_arch"] = "x86_64",
    })));
    ids[i] = r.GetProperty("id").GetInt64();
}

// 3. Connect them all at once and time the hand-out.
var assigned = 0;
var retries = 0;
var firstRound = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
var allDone = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
var failed = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
var firstJobs = new System.Collections.Concurrent.ConcurrentDictionary<long, bool>();
var clock = Stopwatch.StartNew();

async Task Worker(long id)
{
    try
    {
        await WorkerLoop(id);
    }
    catch (Exception e)
    {
        failed.TrySetResult(e);
    }
}

async Task WorkerLoop(long id)
{
    using var ws = new ClientWebSocket();
    var path = $"/api/v1/ws/{id}";
    var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString();
    ws.Options.SetRequestHeader("X-API-Key", key);
    ws.Options.SetRequestHeader("X-API-Microtime", ts);
    ws.Options.SetRequestHeader("X-API-Hash", Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(path + ts))));
    await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}{path}"), CancellationToken.None);
    var buffer = new byte[1 << 20];
    while (!allDone.Task.IsCompleted)
    {
        var count = 0;
        ValueWebSocketReceiveResult got;
        var receive = ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask();
        if (await Task.WhenAny(receive, allDone.Task) != receive)
        {
            break;
        }
        got = await receive;
        count = got.Count;
        while (!got.EndOfMessage)
        {
            got = await ws.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
            count += got.Count;
        }
        if (got.MessageType == WebSocketMessageType.Close)
        {
            throw new InvalidOperationException($"worker {id}: the server closed the WebSocket");
        }
        using var doc = JsonDocument.Parse(buffer.AsMemory(0, count));
        if (doc.RootElement.GetProperty("type").GetString() != "grab_job")
        {
            continue;
        }
        var jobId = doc.RootElement.GetProperty("job").GetProperty("id").GetInt64();
        var n = Interlocked.Increment(ref assigned);
        if (firstJobs.TryAdd(id, true) && firstJobs.Count == workerCount)
        {
            firstRound.TrySetResult(clock.Elapsed);
        }
        await ws.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "accepted", jobid = jobId }), WebSocketMessageType.Text, true, CancellationToken.None);
        // The "accepted" message and set_done race; the server answers 409 "try again" then, as a real worker would.
        // Each attempt differs in its query, as a signed request repeated within a second is refused as a replay.
        for (var attempt = 1; ; attempt++)
        {
            using var m = Signed(HttpMethod.Post, $"/api/v1/jobs/{jobId}/set_done?result=passed&worker_id={id}&attempt={attempt}");
            using var r = await http.SendAsync(m);
            if (r.IsSuccessStatusCode)
            {
                break;
            }
            if ((int)r.StatusCode != 409 || attempt == 20)
            {
                throw new InvalidOperationException($"set_done {jobId} -> {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            }
            Interlocked.Increment(ref retries);
            await Task.Delay(10);
        }
        if (n == jobCount)
        {
            allDone.TrySetResult(clock.Elapsed);
        }
    }
    try
    {
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }
    catch (WebSocketException)
    {
    }
}

var workers = ids.Select(id => Task.Run(() => Worker(id))).ToList();
var finished = await Task.WhenAny(allDone.Task, failed.Task, Task.Delay(TimeSpan.FromMinutes(5)));
if (finished != allDone.Task)
{
    var fault = failed.Task.IsCompleted ? await failed.Task : null;
    Console.Error.WriteLine($"only {assigned} of {jobCount} jobs were handed out" + (fault is null ? "" : ": " + fault.Message));
    return 1;
}
var all = await allDone.Task;
var first = firstRound.Task.IsCompleted ? await firstRound.Task : TimeSpan.Zero;
await Task.WhenAll(workers);
var listing = await Send(new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs?limit=10000&result=passed"));
var passed = listing.GetProperty("jobs").EnumerateArray().Count(j => j.GetProperty("test").GetString()!.StartsWith("assign", StringComparison.Ordinal));
Console.WriteLine(JsonSerializer.Serialize(new
{
    workers = workerCount,
    jobs = jobCount,
    first_round_s = Math.Round(first.TotalSeconds, 3),
    all_assigned_and_done_s = Math.Round(all.TotalSeconds, 3),
    jobs_per_s = Math.Round(jobCount / all.TotalSeconds, 1),
    passed,
    set_done_409_retries = retries,
}));
return passed == jobCount ? 0 : 1;
