using Needlework.Runner.Backends;
using Needlework.Runner.Backends.Qemu;

namespace Needlework.Runner.Tests.Backends.Qemu;

public sealed class QemuVariablesTests
{
    [Fact]
    public void Defaults_follow_openQA()
    {
        var v = QemuVariables.Parse(new Dictionary<string, string> { ["ISO"] = "/x/a.iso" });
        Assert.Equal("/x/a.iso", v.Iso);
        Assert.Equal(1024, v.RamMiB);
        Assert.Equal(1, v.Cpus);
        Assert.Equal((1024, 768), (v.XRes, v.YRes));
        Assert.Null(v.VncDisplay);
        Assert.False(v.NoKvm);
        Assert.Empty(v.ExtraArguments);
    }

    [Fact]
    public void Values_are_read()
    {
        var v = QemuVariables.Parse(new Dictionary<string, string>
        {
            ["HDD_1"] = "/x/disk.qcow2", ["KERNEL"] = "/k/linux", ["INITRD"] = "/k/initrd.gz", ["KERNEL_CMDLINE"] = "vga=788 quiet",
            ["QEMURAM"] = "2048", ["QEMUCPUS"] = "2", ["XRES"] = "1280", ["YRES"] = "800", ["VNC"] = "91", ["QEMU_NO_KVM"] = "1",
            ["QEMU_APPEND"] = "no-reboot -cpu 'qemu64,+ssse3' -name \"a b\"",
        });
        Assert.Equal(("/x/disk.qcow2", "/k/linux", "/k/initrd.gz", "vga=788 quiet"), (v.Hdd1, v.Kernel, v.Initrd, v.KernelCommandLine));
        Assert.Equal((2048, 2, 1280, 800, 91, true), (v.RamMiB, v.Cpus, v.XRes, v.YRes, v.VncDisplay!.Value, v.NoKvm));
        Assert.Equal(["-no-reboot", "-cpu", "qemu64,+ssse3", "-name", "a b"], v.ExtraArguments);
    }

    [Theory]
    [InlineData("QEMURAM", "abc")]
    [InlineData("QEMURAM", "-5")]
    [InlineData("QEMUCPUS", "0")]
    [InlineData("XRES", "1024px")]
    [InlineData("QEMU_NO_KVM", "maybe")]
    [InlineData("QEMU_APPEND", "-name 'unbalanced")]
    [InlineData("ISO", "/x/a,b.iso")]
    public void A_bad_value_names_its_variable(string name, string value)
    {
        var vars = new Dictionary<string, string> { ["ISO"] = "/x/a.iso", [name] = value };
        var e = Assert.Throws<JobVariableException>(() => QemuVariables.Parse(vars));
        Assert.Equal(name, e.Variable);
        Assert.StartsWith($"job variable {name}='{value}' is not usable: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_to_boot_is_an_error()
    {
        var e = Assert.Throws<JobVariableException>(() => QemuVariables.Parse(new Dictionary<string, string> { ["QEMURAM"] = "512" }));
        Assert.Contains("nothing to boot", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Initrd_needs_a_kernel()
    {
        var e = Assert.Throws<JobVariableException>(() => QemuVariables.Parse(new Dictionary<string, string> { ["ISO"] = "/a.iso", ["INITRD"] = "/i" }));
        Assert.Equal("INITRD", e.Variable);
    }
}
