using Needlework.Runner.Backends.Qemu;

namespace Needlework.Runner.Tests.Backends.Qemu;

public sealed class QemuKeysTests
{
    [Theory]
    [InlineData("ret", "ret")]
    [InlineData("esc", "esc")]
    [InlineData("c", "c")]
    [InlineData("C", "shift c")]
    [InlineData("ctrl-alt-delete", "ctrl alt delete")]
    [InlineData("shift-tab", "shift tab")]
    [InlineData("alt-f2", "alt f2")]
    [InlineData("ctrl-minus", "ctrl minus")]
    [InlineData("super", "meta_l")]
    [InlineData("spc", "spc")]
    [InlineData("Enter", "ret")]
    public void Combinations_map_to_qcodes_in_press_order(string combination, string expected) =>
        Assert.Equal(expected.Split(' '), QemuKeys.ForCombination(combination));

    [Theory]
    [InlineData('a', "a")]
    [InlineData('Z', "shift z")]
    [InlineData('7', "7")]
    [InlineData('\n', "ret")]
    [InlineData(' ', "spc")]
    [InlineData('!', "shift 1")]
    [InlineData('(', "shift 9")]
    [InlineData('_', "shift minus")]
    [InlineData('|', "shift backslash")]
    [InlineData('"', "shift apostrophe")]
    [InlineData('/', "slash")]
    [InlineData('~', "shift grave_accent")]
    public void Characters_type_with_an_en_us_layout(char c, string expected) =>
        Assert.Equal(expected.Split(' '), QemuKeys.ForCharacter(c));

    [Fact]
    public void Unknown_keys_and_characters_are_errors()
    {
        Assert.Throws<ArgumentException>(() => QemuKeys.ForCombination("ctrl-frobnicate"));
        Assert.Throws<ArgumentException>(() => QemuKeys.ForCombination("ctrl--"));
        Assert.Throws<ArgumentException>(() => QemuKeys.ForCharacter('é'));
    }
}
