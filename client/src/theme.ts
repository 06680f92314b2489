import {
  Checkbox,
  createTheme,
  NativeSelect,
  Radio,
  RadioGroup,
  TextInput,
  type CSSVariablesResolver,
  type MantineColorsTuple,
} from "@mantine/core";

// Deep Moroccan green. Shade 7 (the primary shade) gives 6.9:1 on white, so filled buttons,
// links and "light" badges all pass WCAG AA for normal text.
const green: MantineColorsTuple = [
  "#e8f5ee",
  "#d3eadc",
  "#a5d3b8",
  "#74bb92",
  "#4da672",
  "#35995e",
  "#238a4f",
  "#0b6b3a",
  "#075c31",
  "#034d28",
];

// Accent red of the logo mark, used sparingly (never for body text on colour).
const red: MantineColorsTuple = [
  "#ffe9ea",
  "#ffd1d3",
  "#f9a1a5",
  "#f46e74",
  "#ef444b",
  "#ec2a32",
  "#d81f27",
  "#c1272d",
  "#a51d23",
  "#8c141a",
];

const fontStack = '"Noto Sans", "Noto Sans Arabic", system-ui, sans-serif';

export const theme = createTheme({
  primaryColor: "green",
  primaryShade: { light: 7, dark: 5 },
  colors: { green, red },
  fontFamily: fontStack,
  headings: { fontFamily: fontStack, fontWeight: "700" },
  defaultRadius: "md",
  // Keyboard users always see where they are; mouse clicks do not leave rings behind.
  focusRing: "auto",
  cursorType: "pointer",
  // Forms are filled in by people who rarely do: larger labels, hints and targets than Mantine's default.
  components: {
    TextInput: TextInput.extend({ defaultProps: { size: "md" } }),
    NativeSelect: NativeSelect.extend({ defaultProps: { size: "md" } }),
    Radio: Radio.extend({ defaultProps: { size: "md" } }),
    RadioGroup: RadioGroup.extend({ defaultProps: { size: "md" } }),
    Checkbox: Checkbox.extend({ defaultProps: { size: "md" } }),
  },
});

// Mantine's "dimmed" text is gray-6 (3.3:1 on white, below AA); gray-7 reaches 7:1.
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: {},
});
