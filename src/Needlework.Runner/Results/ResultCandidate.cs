using System.Text.Json;

namespace Needlework.Runner.Results;

/// <summary>A needle that was checked: its name, error, areas and JSON file (relative to the needles directory).</summary>
public sealed record ResultCandidate(string Name, double Error, IReadOnlyList<ResultArea> Area, string Json)
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("name", Name);
        writer.WriteNumber("error", Error);
        writer.WriteArray("area", Area, static (w, area) => area.WriteTo(w));
        writer.WriteString("json", Json);
        writer.WriteEndObject();
    }
}
