using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Needlework.Runner.Slowness;

namespace Needlework.Runner.Results;

/// <summary>
/// A JSON document the runner writes, field by field, in openQA's snake_case with nulls left out. Written by
/// hand rather than by JsonSerializer: serializer metadata for these shapes is built and JIT-compiled at run
/// time even from source generation (its generic code over value types cannot be precompiled into the
/// runner), about 450 methods and a tenth of a short job's CPU. The tests check every shape against
/// JsonSerializer's own output, so a property added to a record and not to its writer fails them.
/// </summary>
public interface IJsonDocument
{
    void WriteTo(Utf8JsonWriter writer);
}

/// <summary>autoinst-status.json, kept current as modules run.</summary>
public sealed record AutoinstStatus(string Status, string? CurrentTest, int TestExecutionPaused = 0) : IJsonDocument
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("status", Status);
        writer.Optional("current_test", CurrentTest);
        writer.WriteNumber("test_execution_paused", TestExecutionPaused);
        writer.WriteEndObject();
    }
}

/// <summary>base_state.json: the first fatal error, with the slowness statistics when a limit stopped the job.</summary>
public sealed record BaseState(string Component, string Msg, string? Category, SlownessSummary? Statistics) : IJsonDocument
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("component", Component);
        writer.WriteString("msg", Msg);
        writer.Optional("category", Category);
        if (Statistics is not null)
        {
            writer.WritePropertyName("statistics");
            Statistics.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}

/// <summary>test_order.json: the modules in the order they run.</summary>
public sealed record TestOrder(IReadOnlyList<TestOrderEntry> Modules) : IJsonDocument
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteArray(null, Modules, static (w, module) => module.WriteTo(w));
    }
}

/// <summary>One entry of test_order.json.</summary>
public sealed record TestOrderEntry(string Name, string Category, IReadOnlyDictionary<string, int> Flags, string Script)
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("name", Name);
        writer.WriteString("category", Category);
        writer.WriteStartObject("flags");
        foreach (var (flag, value) in Flags)
        {
            writer.WriteNumber(flag, value);
        }

        writer.WriteEndObject();
        writer.WriteString("script", Script);
        writer.WriteEndObject();
    }
}

/// <summary>A result-&lt;module&gt;.json file.</summary>
public sealed record ModuleResultDocument(IReadOnlyList<ResultDetail> Details, string? Result, int Dents, int ExecutionTime) : IJsonDocument
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteArray("details", Details, static (w, detail) => detail.WriteTo(w));
        writer.Optional("result", Result);
        writer.WriteNumber("dents", Dents);
        writer.WriteNumber("execution_time", ExecutionTime);
        writer.WriteEndObject();
    }
}

/// <summary>A needle property: one with a value is written as an object, one without as its bare name.</summary>
public sealed record ResultProperty(string Name, string? Value = null)
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        if (Value is null)
        {
            writer.WriteStringValue(Name);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("name", Name);
        writer.WriteString("value", Value);
        writer.WriteEndObject();
    }
}

/// <summary>command_server.json: where the worker reaches the runner's command server.</summary>
public sealed record CommandServerAddress(string Url, string Token, int Pid) : IJsonDocument
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("url", Url);
        writer.WriteString("token", Token);
        writer.WriteNumber("pid", Pid);
        writer.WriteEndObject();
    }
}

/// <summary>The command server's <c>status</c> answer.</summary>
public sealed record RunnerStatus(string Status, string? CurrentTest, long Frames, string? Stop) : IJsonDocument
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("status", Status);
        writer.Optional("current_test", CurrentTest);
        writer.WriteNumber("frames", Frames);
        writer.Optional("stop", Stop);
        writer.WriteEndObject();
    }
}

/// <summary>The command server's answer to <c>stop</c>.</summary>
public sealed record StopAnswer(bool Stopping, string? Reason, bool First) : IJsonDocument
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("stopping", Stopping);
        writer.Optional("reason", Reason);
        writer.WriteBoolean("first", First);
        writer.WriteEndObject();
    }
}

/// <summary>A refusal from the command server.</summary>
public sealed record CommandError(string Error) : IJsonDocument
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("error", Error);
        writer.WriteEndObject();
    }
}

/// <summary>stats.json: the slowness summary and the per-second timeline.</summary>
public sealed record StatsDocument(SlownessSummary Summary, IReadOnlyList<SlownessSample> Timeline) : IJsonDocument
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("summary");
        Summary.WriteTo(writer);
        writer.WriteArray("timeline", Timeline, static (w, sample) => sample.WriteTo(w));
        writer.WriteEndObject();
    }

    /// <summary>
    /// The document on one line, as a <see cref="RunnerJson.CompactWriter"/> writes it, with the timeline's elements
    /// given as the compact JSON <see cref="AppendTimeline"/> wrote.
    /// </summary>
    internal static void WriteTo(Utf8JsonWriter writer, SlownessSummary summary, ReadOnlySpan<byte> timelineElements)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("summary");
        summary.WriteTo(writer);
        writer.WriteStartArray("timeline");
        if (!timelineElements.IsEmpty)
        {
            // Written by AppendTimeline with the same writer options: valid JSON values, so not parsed again.
            writer.WriteRawValue(timelineElements, skipInputValidation: true);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Appends samples as compact JSON elements, each after a comma unless <paramref name="first"/> and it is the first.</summary>
    internal static void AppendTimeline(ArrayBufferWriter<byte> output, IEnumerable<SlownessSample> samples, bool first)
    {
        using var writer = RunnerJson.CompactWriter(output);
        foreach (var sample in samples)
        {
            if (!first)
            {
                writer.Flush();
                output.Write(","u8);
                writer.Reset(output);
            }

            sample.WriteTo(writer);
            first = false;
        }
    }
}

/// <summary>vars.json: a flat object of strings, in ordinal order of the names.</summary>
public sealed record VariablesDocument(IReadOnlyDictionary<string, string> Values) : IJsonDocument
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        var names = new List<string>(Values.Keys);
        names.Sort(StringComparer.Ordinal);
        writer.WriteStartObject();
        foreach (var name in names)
        {
            writer.WriteString(name, Values[name]);
        }

        writer.WriteEndObject();
    }
}

/// <summary>How the runner's JSON is written, and the writing helpers its documents share.</summary>
public static class RunnerJson
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static Utf8JsonWriter CompactWriter(ArrayBufferWriter<byte> output) => new(output, Compact);

    /// <summary>The document as UTF-8: indented (result files) or on one line (stats.json, rewritten while the job runs). Non-ASCII text is kept as is (needle names, serial output).</summary>
    public static byte[] ToUtf8(IJsonDocument document, bool indented = true)
    {
        ArgumentNullException.ThrowIfNull(document);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact))
        {
            document.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An array of <paramref name="items"/>, each written by <paramref name="write"/>; a property when <paramref name="name"/> is given.</summary>
    internal static void WriteArray<T>(this Utf8JsonWriter writer, string? name, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write)
    {
        if (name is null)
        {
            writer.WriteStartArray();
        }
        else
        {
            writer.WriteStartArray(name);
        }

        foreach (var item in items)
        {
            write(writer, item);
        }

        writer.WriteEndArray();
    }

    internal static void Optional(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    internal static void Optional(this Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    internal static void Optional(this Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    /// <summary>An array as <see cref="WriteArray"/> writes it, left out when null.</summary>
    internal static void Optional<T>(this Utf8JsonWriter writer, string name, IReadOnlyList<T>? items, Action<Utf8JsonWriter, T> write)
    {
        if (items is not null)
        {
            writer.WriteArray(name, items, write);
        }
    }

    /// <summary>A TimeSpan as JsonSerializer writes one: the invariant "c" format.</summary>
    internal static void Optional(this Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time.ToString("c", CultureInfo.InvariantCulture));
        }
    }
}
