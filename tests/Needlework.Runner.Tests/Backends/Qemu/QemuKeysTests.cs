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
    public void Every_en_us_symbol_types_with_its_own_key()
    {
        // The whole table, written out as os-autoinst's en-us layout has it.
        var expected = new Dictionary<char, string>
        {
            [' '] = "spc", ['\n'] = "ret", ['\t'] = "tab", ['\b'] = "backspace", ['\u001b'] = "esc",
            ['-'] = "minus", ['='] = "equal", ['['] = "bracket_left", [']'] = "bracket_right", ['\\'] = "backslash",
            [';'] = "semicolon", ['\''] = "apostrophe", ['`'] = "grave_accent", [','] = "comma", ['.'] = "dot", ['/'] = "slash",
            ['!'] = "shift 1", ['@'] = "shift 2", ['#'] = "shift 3", ['$'] = "shift 4", ['%'] = "shift 5",
            ['^'] = "shift 6", ['&'] = "shift 7", ['*'] = "shift 8", ['('] = "shift 9", [')'] = "shift 0",
            ['_'] = "shift minus", ['+'] = "shift equal", ['{'] = "shift bracket_left", ['}'] = "shift bracket_right",
            ['|'] = "shift backslash", [':'] = "shift semicolon", ['"'] = "shift apostrophe", ['~'] = "shift grave_accent",
            ['<'] = "shift comma", ['>'] = "shift dot", ['?'] = "shift slash",
        };
        foreach (var (c, keys) in expected)
        {
            Assert.Equal(keys.Split(' '), QemuKeys.ForCharacter(c));
        }

        // Nothing else outside letters and digits types.
        for (var c = '\0'; c < 128; c++)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !expected.ContainsKey(c))
            {
                Assert.Throws<ArgumentException>(() => QemuKeys.ForCharacter(c));
            }
        }
    }

    [Fact]
    public void Unknown_keys_and_characters_are_errors()
    {
        Assert.Throws<ArgumentException>(() => QemuKeys.ForCombination("ctrl-frobnicate"));
        Assert.Throws<ArgumentException>(() => QemuKeys.ForCombination("ctrl--"));
        Assert.Throws<ArgumentException>(() => QemuKeys.ForCharacter('é'));
    }
}
