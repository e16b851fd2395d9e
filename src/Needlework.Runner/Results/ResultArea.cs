using System.Text.Json;
using Needlework.Imaging.Needles;

namespace Needlework.Runner.Results;

/// <summary>
/// A matched area as openQA stores it: position, size, similarity in whole percent, ok or fail, and the click
/// point when the needle has one: "center" or its coordinates.
/// </summary>
public sealed record ResultArea(int X, int Y, int W, int H, int Similarity, string Result, ClickPoint? ClickPoint = null)
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
        if (ClickPoint is { IsCenter: true })
        {
            writer.WriteString("click_point", "center");
        }
        else if (ClickPoint is not null)
        {
            writer.WriteStartObject("click_point");
            writer.WriteNumber("xpos", ClickPoint.X);
            writer.WriteNumber("ypos", ClickPoint.Y);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
