using Needlework.Imaging.Frames;

namespace Needlework.Runner.Tests.Backends.Qemu;

/// <summary>
/// Reference screens captured once from the real SUT and committed. Run the tests with
/// NEEDLEWORK_UPDATE_FIXTURES=1 to capture them again (after a QEMU or GRUB upgrade).
/// </summary>
internal static class ScreenFixtures
{
    public static bool Updating => Environment.GetEnvironmentVariable("NEEDLEWORK_UPDATE_FIXTURES") == "1";

    /// <summary>The committed reference, after writing <paramref name="captured"/> over it when updating.</summary>
    public static Frame Reference(string name, Frame captured, bool update = true)
    {
        var path = Path.Combine(TestPaths.Fixtures, name);
        if (Updating && update)
        {
            Directory.CreateDirectory(TestPaths.Fixtures);
            Png.WriteFile(captured, path);
        }

        Assert.True(File.Exists(path), $"reference screen {path} is missing: run the tests once with NEEDLEWORK_UPDATE_FIXTURES=1");
        return Png.ReadFile(path);
    }

    public static Frame Crop(Frame frame, int x, int y, int width, int height)
    {
        var result = new Frame(width, height);
        for (var row = 0; row < height; row++)
        {
            frame.GetRow(y + row).Slice(x * 3, width * 3).CopyTo(result.GetRow(row));
        }

        return result;
    }

    public static double RegionPsnr(Frame a, Frame b, int x, int y, int width, int height) =>
        FrameSimilarity.Psnr(Crop(a, x, y, width, height), Crop(b, x, y, width, height));
}
