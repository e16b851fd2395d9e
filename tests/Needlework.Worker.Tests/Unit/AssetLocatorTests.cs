using Needlework.Worker.Jobs;

namespace Needlework.Worker.Tests.Unit;

public sealed class AssetLocatorTests
{
    [Fact]
    public void RelativeAssetsAreFoundInTheFactoryLayout()
    {
        var root = Directory.CreateTempSubdirectory("nw-assets-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "iso"));
            File.WriteAllText(Path.Combine(root.FullName, "iso", "a.iso"), "x");
            File.WriteAllText(Path.Combine(root.FullName, "kernel"), "x");
            var located = AssetLocator.Locate(new Dictionary<string, string> { ["ISO"] = "a.iso", ["KERNEL"] = "kernel", ["QEMURAM"] = "1" }, [root.FullName]);
            Assert.Equal(Path.Combine(root.FullName, "iso", "a.iso"), located["ISO"]);
            Assert.Equal(Path.Combine(root.FullName, "kernel"), located["KERNEL"]);
            Assert.False(located.ContainsKey("QEMURAM"));

            var e = Assert.Throws<AssetMissingException>(() => AssetLocator.Locate(new Dictionary<string, string> { ["HDD_1"] = "/nonexistent/disk.qcow2" }, []));
            Assert.Equal("HDD_1 /nonexistent/disk.qcow2 does not exist", e.Message);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
