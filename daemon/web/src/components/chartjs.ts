// chartjs.ts - Chart.js with only what the forecast charts use registered (line
// charts on a category and a linear axis, the legend and tooltips). Imported
// dynamically by LineChart.tsx, so Chart.js is a chunk of its own that only the
// pages with a chart load.
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);
/* GOV.UK's text colours and the app's system font, at a size people can read */
Chart.defaults.color = '#0b0c0c';
Chart.defaults.borderColor = '#d9dadb';
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
Chart.defaults.font.size = 14;

export { Chart };
