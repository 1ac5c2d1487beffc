using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace Askel.Browser.Tests;

/// <summary>Accessibility checks with axe-core: the WCAG 2.0, 2.1 and 2.2 level A and AA rules.</summary>
public static class Axe
{
    /// <summary>The axe-core tags run: WCAG 2.2 AA and everything it includes (2.2 adds target size, 2.5.8).</summary>
    public static readonly IReadOnlyList<string> Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    /// <summary>Runs axe on the page as it is now and fails with every violation: rule, impact, help and the failing elements.</summary>
    public static async Task AssertNoAxeViolationsAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
        });

        if (result.Violations is not { Length: > 0 } violations)
        {
            return;
        }

        var message = new StringBuilder();
        message.Append(violations.Length).Append(" axe violation(s) (WCAG 2.2 AA) on ").AppendLine(page.Url);
        foreach (var violation in violations)
        {
            message.Append("- ").Append(violation.Id).Append(" (").Append(violation.Impact).Append("): ").Append(violation.Help)
                .Append(' ').AppendLine(violation.HelpUrl);
            foreach (var node in violation.Nodes ?? [])
            {
                message.Append("    at ").Append(node.Target?.ToString() ?? "?").Append(": ").AppendLine(node.Html);
            }
        }

        throw new XunitException(message.ToString());
    }
}
