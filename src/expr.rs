//! Tiny expressions a lesson uses on a process's locals: `c - 1`, `c > 0`.
//!
//! An expression is one operand or `operand OP operand`; a condition is
//! `operand CMP operand`. Operands are integer literals or local names.
//! Keeping the language this small keeps every step one visible operation.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One side of an expression: a number or a local's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    Int(i64),
    Local(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// `operand` or `operand OP operand`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    text: String,
    left: Operand,
    rest: Option<(ArithOp, Operand)>,
}

/// `operand CMP operand`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cond {
    text: String,
    left: Operand,
    op: CmpOp,
    right: Operand,
}

/// Looks up a local by name while evaluating.
pub trait Locals {
    fn get(&self, name: &str) -> Option<i64>;
}

impl<F: Fn(&str) -> Option<i64>> Locals for F {
    fn get(&self, name: &str) -> Option<i64> {
        self(name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("local `{0}` has no value yet")]
    Unset(String),
    #[error("division by zero")]
    DivByZero,
    #[error("arithmetic overflow")]
    Overflow,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Int(i64),
    Name(String),
    Sym(&'static str),
}

const SYMBOLS: [&str; 11] = ["<=", ">=", "==", "!=", "<", ">", "+", "-", "*", "/", "%"];

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let n = text[start..i]
                .parse()
                .map_err(|_| format!("number `{}` is too large", &text[start..i]))?;
            out.push(Token::Int(n));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(Token::Name(text[start..i].to_string()));
        } else if let Some(sym) = SYMBOLS.iter().find(|s| text[i..].starts_with(**s)) {
            out.push(Token::Sym(sym));
            i += sym.len();
        } else {
            return Err(format!("unexpected character `{c}`"));
        }
    }
    Ok(out)
}

fn operand(tok: &Token) -> Result<Operand, String> {
    match tok {
        Token::Int(n) => Ok(Operand::Int(*n)),
        Token::Name(s) => Ok(Operand::Local(s.clone())),
        Token::Sym(s) => Err(format!("expected a number or a local, found `{s}`")),
    }
}

/// A leading minus on a literal (`-1`) is folded into the number.
fn fold_negative(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut iter = tokens.into_iter().peekable();
    while let Some(tok) = iter.next() {
        let at_operand_position = matches!(out.last(), None | Some(Token::Sym(_)));
        if tok == Token::Sym("-")
            && at_operand_position
            && let Some(Token::Int(n)) = iter.peek()
        {
            let n = -*n;
            iter.next();
            out.push(Token::Int(n));
            continue;
        }
        out.push(tok);
    }
    out
}

impl std::str::FromStr for Expr {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let tokens = fold_negative(tokenize(text)?);
        let arith = |s: &str| match s {
            "+" => Some(ArithOp::Add),
            "-" => Some(ArithOp::Sub),
            "*" => Some(ArithOp::Mul),
            "/" => Some(ArithOp::Div),
            "%" => Some(ArithOp::Rem),
            _ => None,
        };
        match tokens.as_slice() {
            [a] => Ok(Expr {
                text: text.trim().to_string(),
                left: operand(a)?,
                rest: None,
            }),
            [a, Token::Sym(op), b] => {
                let op = arith(op).ok_or_else(|| format!("`{op}` is not one of + - * / %"))?;
                Ok(Expr {
                    text: text.trim().to_string(),
                    left: operand(a)?,
                    rest: Some((op, operand(b)?)),
                })
            }
            [] => Err("empty expression".into()),
            _ => Err("expected `x` or `x OP y` (OP one of + - * / %)".into()),
        }
    }
}

impl std::str::FromStr for Cond {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let tokens = fold_negative(tokenize(text)?);
        let cmp = |s: &str| match s {
            "==" => Some(CmpOp::Eq),
            "!=" => Some(CmpOp::Ne),
            "<" => Some(CmpOp::Lt),
            "<=" => Some(CmpOp::Le),
            ">" => Some(CmpOp::Gt),
            ">=" => Some(CmpOp::Ge),
            _ => None,
        };
        match tokens.as_slice() {
            [a, Token::Sym(op), b] => {
                let op = cmp(op).ok_or_else(|| format!("`{op}` is not one of == != < <= > >="))?;
                Ok(Cond {
                    text: text.trim().to_string(),
                    left: operand(a)?,
                    op,
                    right: operand(b)?,
                })
            }
            _ => Err("expected `x CMP y` (CMP one of == != < <= > >=)".into()),
        }
    }
}

fn value(op: &Operand, locals: &dyn Locals) -> Result<i64, EvalError> {
    match op {
        Operand::Int(n) => Ok(*n),
        Operand::Local(name) => locals
            .get(name)
            .ok_or_else(|| EvalError::Unset(name.clone())),
    }
}

fn names(ops: &[&Operand]) -> Vec<String> {
    ops.iter()
        .filter_map(|o| match o {
            Operand::Local(n) => Some(n.clone()),
            Operand::Int(_) => None,
        })
        .collect()
}

impl Expr {
    pub fn eval(&self, locals: &dyn Locals) -> Result<i64, EvalError> {
        let a = value(&self.left, locals)?;
        let Some((op, right)) = &self.rest else {
            return Ok(a);
        };
        let b = value(right, locals)?;
        let r = match op {
            ArithOp::Add => a.checked_add(b),
            ArithOp::Sub => a.checked_sub(b),
            ArithOp::Mul => a.checked_mul(b),
            ArithOp::Div if b == 0 => return Err(EvalError::DivByZero),
            ArithOp::Div => a.checked_div(b),
            ArithOp::Rem if b == 0 => return Err(EvalError::DivByZero),
            ArithOp::Rem => a.checked_rem(b),
        };
        r.ok_or(EvalError::Overflow)
    }

    /// The locals this expression reads.
    pub fn locals(&self) -> Vec<String> {
        match &self.rest {
            Some((_, r)) => names(&[&self.left, r]),
            None => names(&[&self.left]),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

impl Cond {
    pub fn eval(&self, locals: &dyn Locals) -> Result<bool, EvalError> {
        let a = value(&self.left, locals)?;
        let b = value(&self.right, locals)?;
        Ok(match self.op {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        })
    }

    pub fn locals(&self) -> Vec<String> {
        names(&[&self.left, &self.right])
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.text)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse()
                    .map_err(|e| serde::de::Error::custom(format!("`{text}`: {e}")))
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }
    };
}
string_serde!(Expr);
string_serde!(Cond);

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<i64> {
        match name {
            "c" => Some(7),
            "zero" => Some(0),
            _ => None,
        }
    }

    #[test]
    fn arithmetic_on_locals() {
        let e: Expr = "c - 1".parse().unwrap();
        assert_eq!(e.eval(&env).unwrap(), 6);
        let e: Expr = "c*3".parse().unwrap();
        assert_eq!(e.eval(&env).unwrap(), 21);
        let e: Expr = "-1".parse().unwrap();
        assert_eq!(e.eval(&env).unwrap(), -1);
        let e: Expr = "c + -2".parse().unwrap();
        assert_eq!(e.eval(&env).unwrap(), 5);
        assert_eq!(e.locals(), vec!["c".to_string()]);
    }

    #[test]
    fn conditions() {
        let c: Cond = "c > 0".parse().unwrap();
        assert!(c.eval(&env).unwrap());
        let c: Cond = "zero<=0".parse().unwrap();
        assert!(c.eval(&env).unwrap());
        let c: Cond = "c != 7".parse().unwrap();
        assert!(!c.eval(&env).unwrap());
    }

    #[test]
    fn errors_are_plain() {
        assert!("c -".parse::<Expr>().is_err());
        assert!("c $ 1".parse::<Expr>().unwrap_err().contains('$'));
        assert!("c > ".parse::<Cond>().is_err());
        assert!("c + 1".parse::<Cond>().unwrap_err().contains("=="));
        let e: Expr = "c / zero".parse().unwrap();
        assert_eq!(e.eval(&env), Err(EvalError::DivByZero));
        let e: Expr = "nope".parse().unwrap();
        assert_eq!(e.eval(&env), Err(EvalError::Unset("nope".into())));
    }
}
