using System.Buffers.Binary;
using System.Text.Json;

namespace Needlework.Imaging.Needles;

/// <summary>
/// Reads needle JSON files in openQA's format. Each fault is a <see cref="NeedleProblem"/> naming the file
/// and the field; a faulty needle is skipped and every other one still loads.
/// </summary>
public static class NeedleLoader
{
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Loads one needle; returns null and sets <paramref name="problem"/> when it is not usable.</summary>
    public static Needle? Load(string jsonPath, out NeedleProblem? problem)
    {
        try
        {
            problem = null;
            return Parse(jsonPath);
        }
        catch (NeedleException e)
        {
            problem = new NeedleProblem(jsonPath, e.Field, e.Message);
            return null;
        }
    }

    private static Needle Parse(string jsonPath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(jsonPath), JsonOptions);
        }
        catch (JsonException e)
        {
            throw new NeedleException("(json)", $"not valid JSON: line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}");
        }
        catch (IOException e)
        {
            throw new NeedleException("(file)", e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new NeedleException("(root)", $"expected a JSON object, found {root.ValueKind}");
            }

            var name = Path.GetFileNameWithoutExtension(jsonPath);
            var pngPath = Path.Combine(Path.GetDirectoryName(jsonPath) ?? ".", name + ".png");
            var tags = ReadTags(root);
            var properties = ReadProperties(root);
            var areas = ReadAreas(root);
            var (width, height) = ReadPngSize(pngPath);
            for (var i = 0; i < areas.Count; i++)
            {
                var a = areas[i];
                if (a.X + a.Width > width || a.Y + a.Height > height)
                {
                    throw new NeedleException($"area[{i}]", $"{a.Width}x{a.Height} at {a.X},{a.Y} lies outside the {width}x{height} image");
                }
            }

            return new Needle(name, jsonPath, pngPath, tags, properties, areas, width, height);
        }
    }

    private static List<string> ReadTags(JsonElement root)
    {
        if (!root.TryGetProperty("tags", out var tags) || tags.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (tags.ValueKind != JsonValueKind.Array)
        {
            throw new NeedleException("tags", $"expected an array of strings, found {tags.ValueKind}");
        }

        var result = new List<string>();
        var i = 0;
        foreach (var tag in tags.EnumerateArray())
        {
            if (tag.ValueKind != JsonValueKind.String)
            {
                throw new NeedleException($"tags[{i}]", $"expected a string, found {tag.ValueKind}");
            }

            result.Add(tag.GetString()!);
            i++;
        }

        return result;
    }

    private static List<NeedleProperty> ReadProperties(JsonElement root)
    {
        if (!root.TryGetProperty("properties", out var properties) || properties.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (properties.ValueKind != JsonValueKind.Array)
        {
            throw new NeedleException("properties", $"expected an array, found {properties.ValueKind}");
        }

        var result = new List<NeedleProperty>();
        var i = 0;
        foreach (var property in properties.EnumerateArray())
        {
            var field = $"properties[{i++}]";
            switch (property.ValueKind)
            {
                case JsonValueKind.String:
                    result.Add(new NeedleProperty(property.GetString()!));
                    break;
                case JsonValueKind.Object when property.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String:
                    var value = property.TryGetProperty("value", out var v) && v.ValueKind != JsonValueKind.Null ? ScalarText(v) : null;
                    result.Add(new NeedleProperty(name.GetString()!, value));
                    break;
                default:
                    throw new NeedleException(field, "expected a string or an object with a string \"name\"");
            }
        }

        return result;
    }

    private static List<NeedleArea> ReadAreas(JsonElement root)
    {
        if (!root.TryGetProperty("area", out var areas) || areas.ValueKind != JsonValueKind.Array)
        {
            throw new NeedleException("area", "missing: a needle needs an array of areas with at least one match area");
        }

        var result = new List<NeedleArea>();
        var clickPoints = 0;
        var i = 0;
        foreach (var element in areas.EnumerateArray())
        {
            var field = $"area[{i++}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new NeedleException(field, $"expected an object, found {element.ValueKind}");
            }

            var type = ReadType(element, field);
            var area = new NeedleArea(
                ReadInt(element, "xpos", field, 0),
                ReadInt(element, "ypos", field, 0),
                ReadInt(element, "width", field, 0),
                ReadInt(element, "height", field, 0),
                type,
                ReadMatch(element, field),
                ReadMargin(element, field),
                ReadClickPoint(element, field));
            if (area.Width <= 0 || area.Height <= 0)
            {
                throw new NeedleException($"{field}.width", $"an area needs a positive width and height, found {area.Width}x{area.Height}");
            }

            if (area.ClickPoint is not null && ++clickPoints > 1)
            {
                throw new NeedleException($"{field}.click_point", "only one area of a needle may have a click point");
            }

            result.Add(area);
        }

        if (!result.Any(a => a.Type is NeedleAreaType.Match or NeedleAreaType.Ocr))
        {
            throw new NeedleException("area", "no match area: a needle needs at least one area of type \"match\"");
        }

        return result;
    }

    private static NeedleAreaType ReadType(JsonElement area, string field)
    {
        if (!area.TryGetProperty("type", out var type) || type.ValueKind == JsonValueKind.Null)
        {
            return NeedleAreaType.Match;
        }

        if (type.ValueKind != JsonValueKind.String)
        {
            throw new NeedleException($"{field}.type", $"expected \"match\", \"ocr\" or \"exclude\", found {type.GetRawText()}");
        }

        return type.GetString() switch
        {
            "match" => NeedleAreaType.Match,
            "ocr" => NeedleAreaType.Ocr,
            "exclude" => NeedleAreaType.Exclude,
            var other => throw new NeedleException($"{field}.type", $"unknown area type \"{other}\" (expected match, ocr or exclude)"),
        };
    }

    private static int ReadInt(JsonElement area, string name, string field, int fallback)
    {
        if (!area.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number >= 0 && number <= int.MaxValue && number == Math.Floor(number))
        {
            return (int)number;
        }

        if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), out var parsed) && parsed >= 0)
        {
            return parsed; // needles written by hand sometimes quote numbers; openQA accepts them
        }

        throw new NeedleException($"{field}.{name}", $"expected a whole number of pixels, 0 or more, found {value.GetRawText()}");
    }

    private static double ReadMatch(JsonElement area, string field)
    {
        if (!area.TryGetProperty("match", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return NeedleArea.DefaultMatch;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var match) || match < 0 || match > 100)
        {
            throw new NeedleException($"{field}.match", $"expected a percentage from 0 to 100, found {value.GetRawText()}");
        }

        return match == 0 ? NeedleArea.DefaultMatch : match; // openQA treats 0 as "not set"
    }

    private static int ReadMargin(JsonElement area, string field)
    {
        var margin = ReadInt(area, "margin", field, NeedleArea.DefaultMargin);
        return margin == 0 ? NeedleArea.DefaultMargin : margin; // openQA treats 0 as "not set"
    }

    private static ClickPoint? ReadClickPoint(JsonElement area, string field)
    {
        if (!area.TryGetProperty("click_point", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && value.GetString() == "center")
        {
            return ClickPoint.Center;
        }

        if (value.ValueKind == JsonValueKind.Object
            && value.TryGetProperty("xpos", out var x) && x.TryGetDouble(out var xpos) && xpos >= 0
            && value.TryGetProperty("ypos", out var y) && y.TryGetDouble(out var ypos) && ypos >= 0)
        {
            return new ClickPoint(xpos, ypos, false);
        }

        throw new NeedleException($"{field}.click_point", $"expected {{\"xpos\": x, \"ypos\": y}} or \"center\", found {value.GetRawText()}");
    }

    /// <summary>Reads width and height from the PNG signature and IHDR chunk without decoding the image.</summary>
    private static (int Width, int Height) ReadPngSize(string pngPath)
    {
        Span<byte> header = stackalloc byte[24];
        try
        {
            using var stream = File.OpenRead(pngPath);
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                throw new NeedleException("png", $"{Path.GetFileName(pngPath)} is too short to be a PNG");
            }
        }
        catch (FileNotFoundException)
        {
            throw new NeedleException("png", $"missing image {Path.GetFileName(pngPath)} beside the JSON");
        }
        catch (IOException e)
        {
            throw new NeedleException("png", e.Message);
        }

        ReadOnlySpan<byte> signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (!header[..8].SequenceEqual(signature) || !header[12..16].SequenceEqual("IHDR"u8))
        {
            throw new NeedleException("png", $"{Path.GetFileName(pngPath)} is not a PNG image");
        }

        return (BinaryPrimitives.ReadInt32BigEndian(header[16..20]), BinaryPrimitives.ReadInt32BigEndian(header[20..24]));
    }

    private static string ScalarText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private sealed class NeedleException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }
}
