using Askel.Runtime.Definitions;
using static Askel.Runtime.Tests.Definitions.DefinitionsKit;

namespace Askel.Runtime.Tests.Definitions;

/// <summary>SMS parts: GSM-7 160/153, UCS-2 70/67, extension characters counting twice; and the validator's warning.</summary>
public sealed class SmsSegmentsTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Gsm7_SplitsAt160Then153(int length, int parts)
    {
        Assert.Equal(parts, SmsSegments.Count(new string('a', length)));
    }

    [Fact]
    public void EuroSign_CountsTwice()
    {
        Assert.True(SmsSegments.IsGsm7("€"));
        Assert.Equal(1, SmsSegments.Count(new string('a', 158) + "€"));
        Assert.Equal(2, SmsSegments.Count(new string('a', 159) + "€"));
        Assert.Equal(1, SmsSegments.Count("Hyvää päivää, Åsa!")); // ä, ö and Å are in the basic table
    }

    [Theory]
    [InlineData('д', 70, 1)]
    [InlineData('д', 71, 2)]
    [InlineData('д', 134, 2)]
    [InlineData('д', 135, 3)]
    [InlineData('ب', 70, 1)]
    [InlineData('ب', 71, 2)]
    [InlineData('ب', 134, 2)]
    [InlineData('ب', 135, 3)]
    public void CyrillicAndArabic_GoAsUcs2_At70Then67(char letter, int length, int parts)
    {
        Assert.Equal(parts, SmsSegments.Count(new string(letter, length)));
    }

    [Fact]
    public void OneNonGsmCharacter_MakesTheWholeTextUcs2()
    {
        Assert.Equal(2, SmsSegments.Count(new string('a', 70) + "š"));
        Assert.Equal(0, SmsSegments.Count(""));
    }

    [Fact]
    public void Validator_WarnsWhenARussianSmsNeedsMoreThanTwoParts()
    {
        var russian = string.Join(" ", Enumerable.Repeat("Пожалуйста, заполните анкету участника проекта", 3));
        var resources = new MemoryResources().Form("exit-form", "fi: Lomake, ru: Анкета").Message(
            "exit-form-link",
            $"sms:\n  fi: \"Hei {{{{ firstName }}}}, täytä lomake: {{{{ link }}}}\"\n  ru: \"{{{{ firstName }}}}, {russian}: {{{{ link }}}}\"\n");
        var source = Workflow(
            "  exit:\n    ask: exit-form\n    attempts: [P0D via sms, P3D via sms]\n    expires: P7D\n    onExpired: done\n    next: done\n  done:\n    end: completed",
            languages: "[fi, ru]");

        var result = Load(source, resources);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.DoesNotContain(result.Errors, e => e.IsError);
        var warning = Assert.Single(result.Errors, e => e.Message.Contains("SMS parts", StringComparison.Ordinal));
        Assert.False(warning.IsError);
        Assert.Equal(new SourceLocation("workflows/messages/exit-form-link.yaml", 3, 7), warning.Location);
        Assert.Contains("the SMS text in ru needs 3 SMS parts", warning.Message, StringComparison.Ordinal);
    }

    // A message fills in a few values; a loop in it is a mistake or an attack (one of 10^8 steps passed validate before).
    [Theory]
    [InlineData("{% for i in (1..100000000) %}x{% endfor %}")]
    [InlineData("{%- tablerow i in (1..100000000) -%}x{%- endtablerow -%}")]
    public void Validator_RefusesALoopInAMessage(string loop)
    {
        var resources = new MemoryResources().Form("exit-form", "fi: Lomake").Message(
            "exit-form-link", $"sms:\n  fi: \"Hei {{{{ firstName }}}} {loop}: {{{{ link }}}}\"\n");
        var source = Workflow(
            "  exit:\n    ask: exit-form\n    attempts: [P0D via sms]\n    expires: P7D\n    onExpired: done\n    next: done\n  done:\n    end: completed",
            languages: "[fi]");

        var result = Load(source, resources);

        var error = Assert.Single(result.Errors, e => e.IsError);
        Assert.Contains("loop", error.Message, StringComparison.Ordinal);
        Assert.Equal("workflows/messages/exit-form-link.yaml", error.Location.File);
    }
}
