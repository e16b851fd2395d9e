// Time for a web UI to hand 1,000 queued jobs to 100 connected workers (issue 6, point 10): Needlework's, or
// openQA's (web UI + websockets server + scheduler). Run by bench/webui-assign.sh:
//   dotnet run bench/webui-assign.cs -- <port> <key> <secret> [workers] [jobs] [needlework|openqa] [timeout-s]
// Each fake worker registers (POST /api/v1/workers, with the fields openQA requires), opens its WebSocket
// (/api/v1/ws/<id>: on the web UI's port for Needlework; for openQA on its websockets server, web UI port + 1,
// where openQA's Apache config proxies that path) and answers every grab_job with "accepted" and then
// POST set_done?result=passed&worker_id=<id>, so the scheduler can give it the next job: no test actually runs.
// Prints one JSON line; on timeout it still prints how far it got, and exits 2.
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
var openQa = args.Length > 5 && args[5] == "openqa";
var timeout = TimeSpan.FromSeconds(args.Length > 6 ? int.Parse(args[6]) : 900);
var wsPort = openQa ? port + 1 : port;
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
        ["mem_max"] = "4096", ["websocket_api_version"] = "1", // openQA requires both
    })));
    ids[i] = r.GetProperty("id").GetInt64();
}

// 3. Connect them all at once and time the hand-out.
var assigned = 0;
var done = 0;
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
    await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{wsPort}{path}"), CancellationToken.None);
    var buffer = new byte[1 << 20];

    // The next message, or null once all jobs are done.
    async Task<JsonDocument?> Receive()
    {
        var receive = ws.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).AsTask();
        if (await Task.WhenAny(receive, allDone.Task) != receive)
        {
            return null;
        }
        var got = await receive;
        var count = got.Count;
        while (!got.EndOfMessage)
        {
            got = await ws.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
            count += got.Count;
        }
        if (got.MessageType == WebSocketMessageType.Close)
        {
            throw new InvalidOperationException($"worker {id}: the server closed the WebSocket");
        }
        return JsonDocument.Parse(buffer.AsMemory(0, count));
    }

    while (await Receive() is { } doc)
    {
        using var message = doc;
        var type = message.RootElement.GetProperty("type").GetString();
        if (type == "grab_jobs")
        {
            // openQA sends this for directly chained jobs only, which are not queued here.
            throw new InvalidOperationException($"worker {id}: unexpected grab_jobs");
        }
        if (type != "grab_job")
        {
            continue; // openQA's "info" (worker population) and the like
        }
        var job = message.RootElement.GetProperty("job");
        var jobId = job.GetProperty("id").GetInt64();
        Interlocked.Increment(ref assigned);
        if (firstJobs.TryAdd(id, true) && firstJobs.Count == workerCount)
        {
            firstRound.TrySetResult(clock.Elapsed);
        }
        await ws.SendAsync(JsonSerializer.SerializeToUtf8Bytes(new { type = "accepted", jobid = jobId }), WebSocketMessageType.Text, true, CancellationToken.None);
        if (openQa)
        {
            // openQA's websockets server records "accepted" by making the job the worker's current one, whenever it
            // gets to it; if that lands after set_done has freed the worker, the worker stays busy for good. A real
            // worker is safe by taking seconds to set up; it also sends its status, "working" on this job, as it
            // starts, and the server answers that with "info" after handling the messages before it. Waiting for
            // that answer orders set_done after "accepted".
            var token = job.GetProperty("settings").GetProperty("JOBTOKEN").GetString();
            var status = new { type = "worker_status", status = "working", job = new { id = jobId, settings = new { JOBTOKEN = token } } };
            await ws.SendAsync(JsonSerializer.SerializeToUtf8Bytes(status), WebSocketMessageType.Text, true, CancellationToken.None);
            while (true)
            {
                using var answer = await Receive() ?? throw new InvalidOperationException($"worker {id}: no answer to worker_status");
                if (answer.RootElement.GetProperty("type").GetString() == "info")
                {
                    break;
                }
            }
        }
        // With Needlework, "accepted" and set_done race: an early set_done is answered 409 "try again", as a real
        // worker would be. Each attempt differs in its query, as Needlework refuses a signed request repeated within a second as a
        // replay; openQA ignores the extra parameter.
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
        if (Interlocked.Increment(ref done) == jobCount)
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
_ = Task.Run(async () =>
{
    while (!allDone.Task.IsCompleted && !failed.Task.IsCompleted)
    {
        await Task.WhenAny(allDone.Task, failed.Task, Task.Delay(TimeSpan.FromSeconds(30)));
        Console.Error.WriteLine($"  {clock.Elapsed.TotalSeconds,6:F0} s: {Volatile.Read(ref done)} of {jobCount} done, {firstJobs.Count} of {workerCount} workers had a job");
    }
});
var finished = await Task.WhenAny(allDone.Task, failed.Task, Task.Delay(timeout));
if (failed.Task.IsCompleted)
{
    Console.Error.WriteLine($"{done} of {jobCount} jobs done, then: {(await failed.Task).Message}");
    return 1;
}
var complete = finished == allDone.Task;
var elapsed = complete ? await allDone.Task : clock.Elapsed;
var doneCount = Volatile.Read(ref done);
double? first = firstRound.Task.IsCompleted ? Math.Round((await firstRound.Task).TotalSeconds, 3) : null;
if (complete)
{
    await Task.WhenAll(workers);
}
var listing = await Send(new HttpRequestMessage(HttpMethod.Get, "/api/v1/jobs?limit=10000&result=passed"));
var passed = listing.GetProperty("jobs").EnumerateArray().Count(j => j.GetProperty("test").GetString()!.StartsWith("assign", StringComparison.Ordinal));
// A worker still marked busy after the last set_done has been lost to the scheduler (e.g. an "accepted" handled after
// set_done), which would slow the run without failing it.
var workerList = await Send(new HttpRequestMessage(HttpMethod.Get, "/api/v1/workers"));
var stuck = workerList.GetProperty("workers").EnumerateArray().Count(w => w.TryGetProperty("jobid", out var j) && j.ValueKind != JsonValueKind.Null);
Console.WriteLine(JsonSerializer.Serialize(new
{
    workers = workerCount,
    jobs = jobCount,
    complete,
    first_round_s = first,
    elapsed_s = Math.Round(elapsed.TotalSeconds, 3),
    handed_out = Volatile.Read(ref assigned),
    jobs_done = doneCount,
    jobs_per_s = Math.Round(doneCount / elapsed.TotalSeconds, 2),
    passed,
    set_done_409_retries = retries,
    workers_left_busy = stuck,
}));
if (!complete)
{
    Console.Error.WriteLine($"timed out after {timeout.TotalSeconds:F0} s: {doneCount} of {jobCount} jobs done");
    return 2;
}
return passed == jobCount ? 0 : 1;
