using System.Text.Json;

namespace Needlework.Runner.Results;

/// <summary>
/// A matched area as openQA stores it: position, size, similarity in whole percent, ok or fail, and the click
/// point when the needle has one: "center" or its coordinates.
/// </summary>
public sealed record ResultArea(int X, int Y, int W, int H, int Similarity, string Result, ResultClickPoint? ClickPoint = null, bool ClickAtCenter = false)
{
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("x", X);
        writer.WriteNumber("y", Y);
        writer.WriteNumber("w", W);
        writer.WriteNumber("h", H);
        writer.WriteNumber("similarity", Similarity);
        writer.WriteString("result", Result);
        if (ClickAtCenter)
        {
            writer.WriteString("click_point", "center");
        }
        else if (ClickPoint is not null)
        {
            writer.WriteStartObject("click_point");
            writer.WriteNumber("xpos", ClickPoint.Xpos);
            writer.WriteNumber("ypos", ClickPoint.Ypos);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
