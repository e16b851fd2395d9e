using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Needlework.Imaging.Needles;
using Needlework.Runner.Results;
using Needlework.Runner.Slowness;
using Needlework.Video;

namespace Needlework.Runner.Tests.Results;

/// <summary>
/// The runner writes its JSON by hand. JsonSerializer (reflection, allowed in tests) is the reference: for the
/// shapes whose records map one to one, the bytes must be the same; every shape must name each of its record's
/// properties, so a property added without its writer fails here.
/// </summary>
public sealed class RunnerJsonTests
{
    private static readonly JsonSerializerOptions Reference = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly JsonSerializerOptions ReferenceCompact = new(Reference) { WriteIndented = false };

    public static TheoryData<string> OneToOneShapes => [.. OneToOne().Keys];

    [Theory]
    [MemberData(nameof(OneToOneShapes))]
    public void Hand_written_json_is_byte_for_byte_what_JsonSerializer_writes(string shape)
    {
        var (document, value) = OneToOne()[shape];
        Assert.Equal(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Reference)), Encoding.UTF8.GetString(RunnerJson.ToUtf8(document)));
    }

    [Fact]
    public void Stats_json_is_written_on_one_line_like_JsonSerializers_compact_output()
    {
        var stats = Stats();
        Assert.Equal(JsonSerializer.Serialize(stats, ReferenceCompact), Encoding.UTF8.GetString(RunnerJson.ToUtf8(stats, indented: false)));
        Assert.DoesNotContain('\n', Encoding.UTF8.GetString(RunnerJson.ToUtf8(stats, indented: false)));
    }

    [Fact]
    public void Stats_json_rewritten_with_the_timeline_appended_a_few_seconds_at_a_time_is_what_one_whole_write_gives()
    {
        // The monitor keeps the timeline it has written as JSON and appends only new seconds at each rewrite.
        var stats = Stats();
        var samples = Enumerable.Range(0, 5).Select(i => stats.Timeline[i % 2] with { T = i }).ToList();
        var timeline = new System.Buffers.ArrayBufferWriter<byte>();
        var written = 0;
        foreach (var batch in new[] { 0, 1, 0, 3, 1 })
        {
            StatsDocument.AppendTimeline(timeline, samples.Skip(written).Take(batch), first: written == 0);
            written += batch;
            var file = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = RunnerJson.CompactWriter(file))
            {
                StatsDocument.WriteTo(writer, stats.Summary, timeline.WrittenSpan);
            }

            Assert.Equal(JsonSerializer.Serialize(new StatsDocument(stats.Summary, samples[..written]), ReferenceCompact), Encoding.UTF8.GetString(file.WrittenSpan));
        }
    }

    [Fact]
    public void A_result_file_has_every_field_of_openqas_details_in_its_shape()
    {
        var detail = new ResultDetail
        {
            Result = "ok",
            Screenshot = "boot-1.png",
            Frametime = ["1.04", "1.08"],
            Needle = "grub-menu",
            Area = [new ResultArea(16, 62, 100, 20, 100, "ok", ClickPoint.Center), new ResultArea(1, 2, 3, 4, 97, "fail", new ClickPoint(1.5, 2, IsCenter: false))],
            Error = 0.01,
            Json = "grub-menu.json",
            Tags = ["grub-menu"],
            Properties = [new ResultProperty("workaround"), new ResultProperty("glyph", "ä<>")],
            Needles = [new ResultCandidate("other", 0.5, [new ResultArea(0, 0, 8, 8, 50, "fail")], "sub/other.json")],
            Title = "wait",
            Text = "boot-2.txt",
            Dent = 1,
        };
        var json = Encoding.UTF8.GetString(RunnerJson.ToUtf8(new ModuleResultDocument([detail], "ok", 0, 3), indented: false));
        Assert.Equal(
            """{"details":[{"result":"ok","screenshot":"boot-1.png","frametime":["1.04","1.08"],"needle":"grub-menu","area":[{"x":16,"y":62,"w":100,"h":20,"similarity":100,"result":"ok","click_point":"center"},{"x":1,"y":2,"w":3,"h":4,"similarity":97,"result":"fail","click_point":{"xpos":1.5,"ypos":2}}],"error":0.01,"json":"grub-menu.json","tags":["grub-menu"],"properties":["workaround",{"name":"glyph","value":"ä<>"}],"needles":[{"name":"other","error":0.5,"area":[{"x":0,"y":0,"w":8,"h":8,"similarity":50,"result":"fail"}],"json":"sub/other.json"}],"title":"wait","text":"boot-2.txt","dent":1}],"result":"ok","dents":0,"execution_time":3}""",
            json);
        var names = PropertyNames(typeof(ResultDetail)).Order(StringComparer.Ordinal);
        using var written = JsonDocument.Parse(json);
        Assert.Equal(names, written.RootElement.GetProperty("details")[0].EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Nulls_are_left_out_as_JsonSerializer_leaves_them_out()
    {
        var json = Encoding.UTF8.GetString(RunnerJson.ToUtf8(new ModuleResultDocument([new ResultDetail { Result = "unk" }], null, 0, 0), indented: false));
        Assert.Equal("""{"details":[{"result":"unk"}],"dents":0,"execution_time":0}""", json);
    }

    private static Dictionary<string, (IJsonDocument Document, object Value)> OneToOne()
    {
        var order = new TestOrder([new TestOrderEntry("boot", "tests", new Dictionary<string, int> { ["fatal"] = 1, ["milestone"] = 1 }, "tests/boot.cs")]);
        var variables = new Dictionary<string, string> { ["DESKTOP"] = "gnome \"ä\" <&>", ["ARCH"] = "x86_64", ["_ZZ"] = "1" };
        var sorted = new SortedDictionary<string, string>(variables, StringComparer.Ordinal);
        var stats = Stats();
        return new()
        {
            ["autoinst-status"] = (new AutoinstStatus("running", "boot"), new AutoinstStatus("running", "boot")),
            ["base_state"] = (new BaseState("backend", "too slow", "slow_sut", stats.Summary), new BaseState("backend", "too slow", "slow_sut", stats.Summary)),
            ["base_state without statistics"] = (new BaseState("tests", "died", null, null), new BaseState("tests", "died", null, null)),
            ["test_order"] = (order, order.Modules),
            ["vars, in name order"] = (new VariablesDocument(variables), sorted),
            ["command_server"] = (new CommandServerAddress("http://127.0.0.1:1234/", "abc", 42), new CommandServerAddress("http://127.0.0.1:1234/", "abc", 42)),
            ["status"] = (new RunnerStatus("running", null, 12, "stopping"), new RunnerStatus("running", null, 12, "stopping")),
            ["stop"] = (new StopAnswer(true, "why", false), new StopAnswer(true, "why", false)),
            ["error"] = (new CommandError("no"), new CommandError("no")),
            ["stats"] = (stats, stats),
        };
    }

    /// <summary>Every field set (none null), so that a field the writer forgets shows up as a difference.</summary>
    private static StatsDocument Stats()
    {
        var timing = new TimingSummary(3, 1.5, 2.25, 3);
        var summary = new SlownessSummary(
            12.5, 0.5, 25, 24, 1, timing, timing, 40, new StallSummary(1, 2.5, 2.5, 2, [new StallRecord(3, 2.5)]), timing, timing, timing,
            2, new VideoSinkStatistics(20, 4, 1, 3, 0.5, 1.25, 2, 1000, TimeSpan.FromMilliseconds(230), 24, 1.5),
            new HostSummary(2, 0.5, 1.5, 40, 1, 2, 3, 0.4, 1.5, 6, 2.5), 10, 20, 60, 3, 1, "slow_sut", "too slow: no frame for 10 s");
        var sample = new SlownessSample(1, 2, 0, 0.5, false, 12.5, 0.25, 1, 40, 0, 1.5, 3, 0.5, 60, 1, "R", 1.25, 0, 0);
        return new StatsDocument(summary, [sample, sample with { Stalled = true, SutState = "T" }]);
    }

    private static IEnumerable<string> PropertyNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name));
}
