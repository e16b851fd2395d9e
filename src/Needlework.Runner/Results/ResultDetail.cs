using System.Text.Json;

namespace Needlework.Runner.Results;

/// <summary>One step of a module in openQA's result-&lt;module&gt;.json: a screen match or failure, a text, a soft failure.</summary>
public sealed class ResultDetail
{
    /// <summary>ok, fail, softfail or unk.</summary>
    public required string Result { get; set; }

    public string? Screenshot { get; set; }

    /// <summary>The frame's place in the video, as media fragment times in seconds ("12.04", "12.08").</summary>
    public IReadOnlyList<string>? Frametime { get; set; }

    public string? Needle { get; set; }

    public IReadOnlyList<ResultArea>? Area { get; set; }

    public double? Error { get; set; }

    public string? Json { get; set; }

    public IReadOnlyList<string>? Tags { get; set; }

    /// <summary>The needle's properties: one without a value is written as its bare name, as os-autoinst does.</summary>
    public IReadOnlyList<ResultProperty>? Properties { get; set; }

    /// <summary>The candidates that did not match, each with its areas.</summary>
    public IReadOnlyList<ResultCandidate>? Needles { get; set; }

    public string? Title { get; set; }

    /// <summary>Name of a text file beside the results.</summary>
    public string? Text { get; set; }

    public int? Dent { get; set; }

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("result", Result);
        writer.Optional("screenshot", Screenshot);
        writer.Optional("frametime", Frametime, static (w, time) => w.WriteStringValue(time));
        writer.Optional("needle", Needle);
        writer.Optional("area", Area, static (w, area) => area.WriteTo(w));
        writer.Optional("error", Error);
        writer.Optional("json", Json);
        writer.Optional("tags", Tags, static (w, tag) => w.WriteStringValue(tag));
        writer.Optional("properties", Properties, static (w, property) => property.WriteTo(w));
        writer.Optional("needles", Needles, static (w, candidate) => candidate.WriteTo(w));
        writer.Optional("title", Title);
        writer.Optional("text", Text);
        writer.Optional("dent", Dent);
        writer.WriteEndObject();
    }
}
