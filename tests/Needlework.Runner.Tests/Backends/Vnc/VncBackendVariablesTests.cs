using Needlework.Runner.Backends;
using Needlework.Runner.Backends.Vnc;
using Needlework.Vnc.Tests.Infrastructure;

namespace Needlework.Runner.Tests.Backends.Vnc;

public sealed class VncBackendVariablesTests
{
    [Fact]
    public void Display_number_VNC_gives_port_5900_plus_it_and_defaults_apply()
    {
        var v = VncBackendVariables.Parse(new Dictionary<string, string> { ["VNC"] = "91" });
        Assert.Equal(("127.0.0.1", 5991, (string?)null, 1024, 768), (v.Host, v.Port, v.Password, v.XRes, v.YRes));
    }

    [Fact]
    public void VNC_PORT_wins_over_VNC_and_VNC_PASSWORD_over_PASSWORD()
    {
        var v = VncBackendVariables.Parse(new Dictionary<string, string>
        {
            ["VNC"] = "91", ["VNC_PORT"] = "5999", ["VNC_HOST"] = "10.0.0.7", ["VNC_PASSWORD"] = "a", ["PASSWORD"] = "b", ["XRES"] = "1280", ["YRES"] = "800",
        });
        Assert.Equal(("10.0.0.7", 5999, "a", 1280, 800), (v.Host, v.Port, v.Password, v.XRes, v.YRes));
        Assert.Equal("b", VncBackendVariables.Parse(new Dictionary<string, string> { ["VNC_PORT"] = "5999", ["PASSWORD"] = "b" }).Password);
    }

    [Theory]
    [InlineData("VNC_PORT", "0")]
    [InlineData("VNC_PORT", "http")]
    [InlineData("VNC", "-1")]
    public void Unusable_values_name_the_variable(string name, string value)
    {
        var e = Assert.Throws<JobVariableException>(() => VncBackendVariables.Parse(new Dictionary<string, string> { [name] = value }));
        Assert.Equal(name, e.Variable);
    }

    [Fact]
    public void Without_a_port_the_backend_says_what_it_needs()
    {
        var e = Assert.Throws<JobVariableException>(() => VncBackendVariables.Parse(new Dictionary<string, string> { ["BACKEND"] = "vnc" }));
        Assert.Contains("VNC_PORT", e.Message, StringComparison.Ordinal);
    }
}
