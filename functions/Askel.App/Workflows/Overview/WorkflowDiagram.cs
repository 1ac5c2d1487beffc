using System.Globalization;
using System.Text;
using Askel.App.Coordinator.Components;
using Microsoft.Msagl.Core.Geometry;
using Microsoft.Msagl.Core.Geometry.Curves;
using Microsoft.Msagl.Core.Layout;
using Microsoft.Msagl.Core.Routing;
using Microsoft.Msagl.Layout.Layered;
using Microsoft.Msagl.Miscellaneous;

namespace Askel.App.Workflows.Overview;

/// <summary>
/// Lays a workflow's steps out top to bottom with MSAGL's layered (Sugiyama) layout and spline routing, and turns the
/// result into a <see cref="Diagram"/> the page draws as SVG. Sizes are estimated from the texts' lengths: the page's
/// fonts are the system's, so the boxes leave room.
/// </summary>
public static class WorkflowDiagram
{
    private const double TitleCharacter = 8.2;
    private const double KindCharacter = 6.6;
    private const double LabelCharacter = 6.4;
    private const double BoxHeight = 46;
    private const double Margin = 12;
    private const int LongestLabel = 44;

    /// <summary>The diagram of <paramref name="steps"/> (with their ways out), starting at <paramref name="start"/>.</summary>
    public static Diagram Layout(IReadOnlyList<StepView> steps, string start)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var graph = new GeometryGraph();
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var step in steps.OrderBy(s => s.Id == start ? 0 : 1))
        {
            var width = Math.Max(step.Title.Length * TitleCharacter, step.Kind.Length * KindCharacter) + 28;
            var node = new Node(CurveFactory.CreateRectangleWithRoundedCorners(width, BoxHeight, 8, 8, new Point()), step);
            nodes[step.Id] = node;
            graph.Nodes.Add(node);
        }

        foreach (var step in steps)
        {
            // Ways to the same step are one arrow, named by all of them (a task's outcomes, coaching's end); a way back to
            // the step itself is a loop beside its box.
            foreach (var target in step.Ways.GroupBy(w => w.To))
            {
                var label = string.Join(" / ", target.Select(w => w.When).Where(w => w.Length > 0).Distinct());
                var edge = new Edge(nodes[step.Id], nodes[target.Key]) { UserData = label };
                if (label.Length > 0)
                {
                    edge.Label = new Label(Shortened(label).Length * LabelCharacter + 8, 18, edge);
                }

                graph.Edges.Add(edge);
            }
        }

        var settings = new SugiyamaLayoutSettings { NodeSeparation = 28, LayerSeparation = 46 };
        settings.EdgeRoutingSettings.EdgeRoutingMode = EdgeRoutingMode.Spline;
        LayoutHelpers.CalculateLayout(graph, settings, null);

        // MSAGL's y grows upwards; SVG's downwards.
        var box = graph.BoundingBox;
        double X(double x) => Math.Round(x - box.Left + Margin, 1);
        double Y(double y) => Math.Round(box.Top - y + Margin, 1);
        var boxes = graph.Nodes.Select(n =>
        {
            var step = (StepView)n.UserData;
            return new DiagramBox(step.Id, X(n.BoundingBox.Left), Y(n.BoundingBox.Top), Math.Round(n.Width, 1), Math.Round(n.Height, 1), step.Title, step.Kind, step.Ways.Count == 0);
        }).ToList();
        var arrows = graph.Edges.Select(e => new DiagramArrow(
            PathData(e.Curve, X, Y),
            e.Label is null ? null : Shortened((string)e.UserData),
            (string)e.UserData,
            e.Label is null ? 0 : X(e.Label.Center.X),
            e.Label is null ? 0 : Y(e.Label.Center.Y))).ToList();
        return new Diagram(Math.Round(box.Width + 2 * Margin), Math.Round(box.Height + 2 * Margin), boxes, arrows);
    }

    private static string Shortened(string label) => label.Length <= LongestLabel ? label : string.Concat(label.AsSpan(0, LongestLabel - 1), "…");

    /// <summary>SVG path data for a routed edge: its lines and cubic Béziers; anything else as short lines along it.</summary>
    private static string PathData(ICurve curve, Func<double, double> x, Func<double, double> y)
    {
        var data = new StringBuilder();
        string P(Point p) => string.Create(CultureInfo.InvariantCulture, $"{x(p.X)} {y(p.Y)}");
        data.Append("M ").Append(P(curve.Start));
        foreach (var segment in curve is Curve joined ? joined.Segments : [curve])
        {
            switch (segment)
            {
                case LineSegment line:
                    data.Append(" L ").Append(P(line.End));
                    break;
                case CubicBezierSegment bezier:
                    data.Append(" C ").Append(P(bezier.B(1))).Append(", ").Append(P(bezier.B(2))).Append(", ").Append(P(bezier.B(3)));
                    break;
                default:
                    for (var i = 1; i <= 8; i++)
                    {
                        data.Append(" L ").Append(P(segment[segment.ParStart + ((segment.ParEnd - segment.ParStart) * i / 8)]));
                    }

                    break;
            }
        }

        return data.ToString();
    }
}
