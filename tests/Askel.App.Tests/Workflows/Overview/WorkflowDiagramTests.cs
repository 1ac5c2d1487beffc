using Askel.App.Coordinator.Components;
using Askel.App.Workflows.Overview;

namespace Askel.App.Tests.Workflows.Overview;

/// <summary>The diagram's layout: a box per step inside the drawing, none over another, one arrow per pair of steps, loops included.</summary>
public sealed class WorkflowDiagramTests
{
    [Fact]
    public void EveryStepHasABox_AndEveryWayAnArrow_ALoopToo()
    {
        StepView Step(string id, params StepWay[] ways) => new(id, $"Step {id}", "Kind", [], ways);
        var steps = new[]
        {
            Step("a", new StepWay("yes", "b", "Step b"), new StepWay("no", "c", "Step c")),
            Step("b", new StepWay("again", "b", "Step b"), new StepWay("", "c", "Step c")),
            Step("c", new StepWay("one", "d", "Step d"), new StepWay("other", "d", "Step d")),
            Step("d"),
        };

        var diagram = WorkflowDiagram.Layout(steps, "a");

        Assert.Equal(["a", "b", "c", "d"], diagram.Boxes.Select(b => b.Id).Order(StringComparer.Ordinal));
        Assert.All(diagram.Boxes, b => Assert.True(b.X >= 0 && b.Y >= 0 && b.X + b.Width <= diagram.Width && b.Y + b.Height <= diagram.Height, $"{b.Id} is inside the drawing"));
        Assert.All(diagram.Boxes, b => Assert.DoesNotContain(diagram.Boxes, o => o != b && b.X < o.X + o.Width && o.X < b.X + b.Width && b.Y < o.Y + o.Height && o.Y < b.Y + b.Height));
        Assert.Equal(5, diagram.Arrows.Count); // a→b, a→c, b→b, b→c, c→d (its two ways one arrow)
        Assert.Contains(diagram.Arrows, a => a.Label == "again");
        Assert.Contains(diagram.Arrows, a => a.Label == "one / other");
        Assert.Single(diagram.Boxes, b => b.Ending);
        Assert.True(diagram.Boxes.Single(b => b.Id == "a").Y < diagram.Boxes.Single(b => b.Id == "d").Y, "it reads top to bottom");
    }

    [Fact]
    public void ALongLabel_IsShortened_AndKeepsItsWholeText()
    {
        var whole = new string('x', 80);
        var diagram = WorkflowDiagram.Layout([new("a", "A", "Kind", [], [new StepWay(whole, "b", "B")]), new("b", "B", "Kind", [], [])], "a");

        var arrow = Assert.Single(diagram.Arrows);
        Assert.True(arrow.Label!.Length < whole.Length && arrow.Label.EndsWith('…'), arrow.Label);
        Assert.Equal(whole, arrow.Whole);
    }
}
