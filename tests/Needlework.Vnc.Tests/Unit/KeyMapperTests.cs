using Needlework.Vnc.Input;

namespace Needlework.Vnc.Tests.Unit;

public sealed class KeyMapperTests
{
    [Theory]
    [InlineData("ret", 0xff0d)]
    [InlineData("esc", 0xff1b)]
    [InlineData("tab", 0xff09)]
    [InlineData("backspace", 0xff08)]
    [InlineData("delete", 0xffff)]
    [InlineData("home", 0xff50)]
    [InlineData("end", 0xff57)]
    [InlineData("pageup", 0xff55)]
    [InlineData("pgup", 0xff55)]
    [InlineData("pagedown", 0xff56)]
    [InlineData("pgdn", 0xff56)]
    [InlineData("up", 0xff52)]
    [InlineData("down", 0xff54)]
    [InlineData("left", 0xff51)]
    [InlineData("right", 0xff53)]
    [InlineData("spc", 0x20)]
    [InlineData("ctrl", 0xffe3)]
    [InlineData("alt", 0xffe9)]
    [InlineData("shift", 0xffe1)]
    [InlineData("super", 0xffeb)]
    [InlineData("f1", 0xffbe)]
    [InlineData("F2", 0xffbf)]
    [InlineData("f12", 0xffc9)]
    [InlineData("a", 'a')]
    [InlineData("1", '1')]
    [InlineData("-", '-')]
    [InlineData("minus", '-')]
    [InlineData("=", '=')]
    public void Map_NamedAndSingleCharacterKeys(string name, uint keysym) =>
        Assert.Equal([keysym], KeyMapper.Map(name).Keysyms);

    [Theory]
    [InlineData("A", 'A')]
    [InlineData("Z", 'Z')]
    [InlineData("!", '!')]
    [InlineData("@", '@')]
    [InlineData("#", '#')]
    [InlineData("$", '$')]
    [InlineData("%", '%')]
    [InlineData("^", '^')]
    [InlineData("&", '&')]
    [InlineData("*", '*')]
    [InlineData("(", '(')]
    [InlineData(")", ')')]
    [InlineData("_", '_')]
    [InlineData("+", '+')]
    [InlineData("{", '{')]
    [InlineData("}", '}')]
    [InlineData("|", '|')]
    [InlineData(":", ':')]
    [InlineData("\"", '"')]
    [InlineData("<", '<')]
    [InlineData(">", '>')]
    [InlineData("?", '?')]
    [InlineData("~", '~')]
    public void Map_UpperCaseAndShiftedSymbols_HoldShift(string key, uint keysym) =>
        Assert.Equal([KeyMapper.Shift, keysym], KeyMapper.Map(key).Keysyms);

    [Fact]
    public void Map_Combo_KeepsTheOrder() =>
        Assert.Equal([0xffe3u, 0xffe9u, 0xffffu], KeyMapper.Map("ctrl-alt-delete").Keysyms);

    [Fact]
    public void Map_ComboWithMinus_TreatsTheTrailingDashAsTheMinusKey() =>
        Assert.Equal([KeyMapper.Control, (uint)'-'], KeyMapper.Map("ctrl--").Keysyms);

    [Fact]
    public void Map_ShiftedCharacterInACombo_AddsShiftOnce()
    {
        Assert.Equal([KeyMapper.Control, KeyMapper.Shift, (uint)'C'], KeyMapper.Map("ctrl-C").Keysyms);
        Assert.Equal([KeyMapper.Shift, (uint)'C'], KeyMapper.Map("shift-C").Keysyms);
    }

    [Fact]
    public void Map_UnknownName_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => KeyMapper.Map("ctrl-bogus"));
        Assert.Contains("bogus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapText_MapsEachCharacter_WithShiftWhereNeeded()
    {
        var combos = KeyMapper.MapText("aB!\n");

        Assert.Equal(4, combos.Count);
        Assert.Equal([(uint)'a'], combos[0].Keysyms);
        Assert.Equal([KeyMapper.Shift, (uint)'B'], combos[1].Keysyms);
        Assert.Equal([KeyMapper.Shift, (uint)'!'], combos[2].Keysyms);
        Assert.Equal([KeyMapper.Return], combos[3].Keysyms);
    }

    [Fact]
    public void MapText_NonLatin1_UsesUnicodeKeysyms() =>
        Assert.Equal([0x01000000u + 0x20ac], KeyMapper.MapText("€")[0].Keysyms);
}
