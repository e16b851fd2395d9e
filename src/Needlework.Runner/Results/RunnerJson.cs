using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Needlework.Runner.Slowness;

namespace Needlework.Runner.Results;

/// <summary>autoinst-status.json, kept current as modules run.</summary>
public sealed record AutoinstStatus(string Status, string? CurrentTest, int TestExecutionPaused = 0);

/// <summary>base_state.json: the first fatal error, with the slowness statistics when a limit stopped the job.</summary>
public sealed record BaseState(string Component, string Msg, string? Category, object? Statistics);

/// <summary>One entry of test_order.json.</summary>
public sealed record TestOrderEntry(string Name, string Category, IReadOnlyDictionary<string, int> Flags, string Script);

/// <summary>A result-&lt;module&gt;.json file.</summary>
public sealed record ModuleResultDocument(IReadOnlyList<ResultDetail> Details, string? Result, int Dents, int ExecutionTime);

/// <summary>A needle area's click point other than its centre, as os-autoinst writes it.</summary>
public sealed record ResultClickPoint(double Xpos, double Ypos);

/// <summary>A needle property with a value (one without is written as its bare name).</summary>
public sealed record ResultProperty(string Name, string Value);

/// <summary>command_server.json: where the worker reaches the runner's command server.</summary>
public sealed record CommandServerAddress(string Url, string Token, int Pid);

/// <summary>The command server's <c>status</c> answer.</summary>
public sealed record RunnerStatus(string Status, string? CurrentTest, long Frames, string? Stop);

/// <summary>The command server's answer to <c>stop</c>.</summary>
public sealed record StopAnswer(bool Stopping, string? Reason, bool First);

/// <summary>A refusal from the command server.</summary>
public sealed record CommandError(string Error);

/// <summary>stats.json: the slowness summary and the per-second timeline.</summary>
public sealed record StatsDocument(SlownessSummary Summary, IReadOnlyList<SlownessSample> Timeline);

/// <summary>
/// Every JSON shape the runner writes, generated at compile time: no reflection and no emitted code at run time,
/// which a short job would otherwise pay for in CPU on its first write of each file. A type missing here fails
/// on its first write, loudly, in the tests.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(AutoinstStatus))]
[JsonSerializable(typeof(BaseState))]
[JsonSerializable(typeof(List<TestOrderEntry>))]
[JsonSerializable(typeof(ModuleResultDocument))]
[JsonSerializable(typeof(ResultClickPoint))]
[JsonSerializable(typeof(ResultProperty))]
[JsonSerializable(typeof(CommandServerAddress))]
[JsonSerializable(typeof(RunnerStatus))]
[JsonSerializable(typeof(StopAnswer))]
[JsonSerializable(typeof(CommandError))]
[JsonSerializable(typeof(StatsDocument))]
[JsonSerializable(typeof(SlownessSummary))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string))]
internal sealed partial class RunnerJsonContext : JsonSerializerContext;

/// <summary>The options the runner's files are written with.</summary>
public static class RunnerJson
{
    /// <summary>Indented, snake_case, nulls left out, non-ASCII text as is (needle names, serial output).</summary>
    public static readonly JsonSerializerOptions Files = Create(indented: true);

    /// <summary>As <see cref="Files"/>, on one line: stats.json, rewritten while the job runs.</summary>
    public static readonly JsonSerializerOptions Compact = Create(indented: false);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(RunnerJsonContext.Default.Options)
        {
            WriteIndented = indented,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = RunnerJsonContext.Default,
        };
        options.MakeReadOnly();
        return options;
    }
}
