using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Needlework.Worker.Uploads;

namespace Needlework.Worker.Jobs;

/// <summary>
/// Follows the runner's results in the pool directory (test_order.json, result-*.json, screenshots and
/// text steps) and queues what is new: a status whenever anything changed, each screenshot and text
/// file once. The runner writes a screenshot before the result JSON that names it and replaces files
/// atomically, so whatever a result JSON names is complete.
/// </summary>
public sealed class ResultCollector(long jobId, string poolDirectory, UploadQueue uploads)
{
    private readonly HashSet<string> queuedFiles = new(StringComparer.Ordinal);
    private string? lastStatus;

    private string Results => Path.Combine(poolDirectory, "testresults");

    /// <summary>The modules in test order with their results, as far as the runner got.</summary>
    public IReadOnlyList<ModuleOutcome> Modules()
    {
        var order = ReadOrder();
        return order.Select(m => new ModuleOutcome(m.Name, Str(ReadResult(m.Name)?["result"]), m.IgnoreFailure)).ToList();
    }

    /// <summary>Queues new files and, when anything changed, a status with <paramref name="jobState"/>.</summary>
    public void Collect(long workerId, string jobState)
    {
        var order = ReadOrder();
        var currentTest = ReadCurrentTest();
        var results = new JsonObject();
        foreach (var module in order)
        {
            var result = ReadResult(module.Name);
            if (result is null)
            {
                continue;
            }

            var details = result["details"] as JsonArray ?? [];
            foreach (var detail in details.OfType<JsonObject>())
            {
                QueueFile(Str(detail["screenshot"]), screenshot: true);
                QueueFile(Str(detail["text"]), screenshot: false);
            }

            var word = Str(result["result"]) ?? (module.Name == currentTest ? "running" : null);
            results[module.Name] = new JsonObject { ["result"] = word, ["details"] = details.DeepClone() };
        }

        var status = new JsonObject
        {
            ["worker_id"] = workerId,
            ["job_state"] = jobState,
            ["test_order"] = new JsonArray([.. order.Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["category"] = m.Category, ["script"] = m.Script })]),
            ["result"] = results,
        };
        var text = status.ToJsonString();
        if (text != lastStatus)
        {
            lastStatus = text;
            uploads.Enqueue(UploadItem.Status(jobId, status));
        }
    }

    private void QueueFile(string? name, bool screenshot)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || !queuedFiles.Add(name))
        {
            return;
        }

        var path = Path.Combine(Results, name);
        if (!File.Exists(path))
        {
            queuedFiles.Remove(name);
            return;
        }

        if (screenshot)
        {
            using var stream = File.OpenRead(path);
            var checksum = Convert.ToHexStringLower(SHA256.HashData(stream));
            uploads.Enqueue(UploadItem.Screenshot(jobId, name, path, checksum));
        }
        else
        {
            uploads.Enqueue(UploadItem.File(jobId, "result", name, path));
        }
    }

    private string? ReadCurrentTest()
    {
        var node = ReadJson(Path.Combine(poolDirectory, "autoinst-status.json"));
        return node?["current_test"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    private JsonObject? ReadResult(string module) => ReadJson(Path.Combine(Results, $"result-{module}.json")) as JsonObject;

    private List<OrderEntry> ReadOrder()
    {
        if (ReadJson(Path.Combine(Results, "test_order.json")) is not JsonArray array)
        {
            return [];
        }

        var order = new List<OrderEntry>();
        foreach (var entry in array.OfType<JsonObject>())
        {
            if (entry["name"] is JsonValue n && n.TryGetValue<string>(out var name) && name.Length > 0)
            {
                var ignore = entry["flags"] is JsonObject flags && flags["ignore_failure"] is JsonValue f && f.ToString() is "1" or "true";
                order.Add(new OrderEntry(name, entry["category"]?.ToString(), entry["script"]?.ToString(), ignore));
            }
        }

        return order;
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonNode? ReadJson(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed record OrderEntry(string Name, string? Category, string? Script, bool IgnoreFailure);
}
