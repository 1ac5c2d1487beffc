using Askel.App.Forms;
using Askel.Testing;

namespace Askel.App.Tests.Forms;

/// <summary>The accessibility statement says, in every language, what was tested and how (laki 306/2019 asks for it).</summary>
public sealed class AccessibilityStatementTests
{
    [Fact]
    public void InEveryLanguage_ItNamesTheToolTheRulesTheWidthAndWhatWasNotTested()
    {
        var problems = new List<string>();
        var texts = PageTexts.Load(Repository.Path("workflows", "pages", "texts.yaml"), problems);

        Assert.Empty(problems);
        foreach (var language in PageTexts.Languages)
        {
            var statement = texts.Get("accessibility-body", language);
            Assert.All(["axe-core", "Chromium", "WCAG 2.1", "2.2", "320", "WCAG 1.4.10", "2026"], fact => Assert.Contains(fact, statement, StringComparison.Ordinal));
        }
    }
}
