//! The colours of the screens, dropped (bold and reverse kept) under NO_COLOR.

use ratatui::style::{Color, Modifier, Style};

const PALETTE: [Color; 6] = [
    Color::Cyan,
    Color::Yellow,
    Color::Magenta,
    Color::Green,
    Color::Blue,
    Color::LightRed,
];

/// Styles that drop colour (but keep bold and reverse) under NO_COLOR.
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        Theme { color }
    }
    pub fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    pub fn proc(&self, p: usize) -> Style {
        self.fg(PALETTE[p % PALETTE.len()])
    }
    pub fn good(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }
    pub fn bad(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn dim(&self) -> Style {
        if self.color {
            Style::default().fg(Color::DarkGray)
        } else {
            Style::default()
        }
    }
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }
    /// htop's colours for the kernel's state letters.
    pub fn os_state(&self, c: char) -> Style {
        match c {
            'R' => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            'D' => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            'Z' => self.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            'T' | 't' => self.fg(Color::Yellow),
            _ => self.dim(),
        }
    }
}
