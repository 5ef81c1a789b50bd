//! Parameter values as Python holds them after loading a YAML or JSON file, with Python's `repr`.
//!
//! PyRadiomics reports its configuration as the `str()` of Python dicts
//! (`diagnostics_Configuration_Settings`), where `1` and `1.0` print differently; keeping the raw
//! value lets us print exactly the same strings.

pub use crate::pyrepr::python_float_repr as float_repr;
use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// One value of a parameter file, as Python would hold it (`None`, `bool`, `int`, `float`, `str`,
/// `list`, `dict` with insertion order).
#[derive(Clone, Debug, PartialEq)]
pub enum PyValue {
    /// `None` (YAML `null` / `~` / an empty value, JSON `null`).
    None,
    /// `True` / `False`.
    Bool(bool),
    /// A Python `int`.
    Int(i64),
    /// A Python `float`.
    Float(f64),
    /// A Python `str`.
    Str(String),
    /// A Python `list`.
    List(Vec<PyValue>),
    /// A Python `dict`, in insertion order.
    Dict(IndexMap<String, PyValue>),
}

impl PyValue {
    /// Python's name of the value's type (`'NoneType'`, `'int'`, ...), for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            PyValue::None => "null",
            PyValue::Bool(_) => "bool",
            PyValue::Int(_) => "int",
            PyValue::Float(_) => "float",
            PyValue::Str(_) => "str",
            PyValue::List(_) => "list",
            PyValue::Dict(_) => "dict",
        }
    }

    /// The value as a number if it is an `int` or a `float` (not a `bool`).
    pub fn as_number(&self) -> Option<f64> {
        match self {
            PyValue::Int(i) => Some(*i as f64),
            PyValue::Float(f) => Some(*f),
            _ => None,
        }
    }
}

/// Python's `repr` of a `str`: single quotes unless the text holds `'` but no `"`.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

impl fmt::Display for PyValue {
    /// Python's `repr` of the value (which is also its `str` inside containers).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PyValue::None => f.write_str("None"),
            PyValue::Bool(true) => f.write_str("True"),
            PyValue::Bool(false) => f.write_str("False"),
            PyValue::Int(i) => write!(f, "{i}"),
            PyValue::Float(x) => f.write_str(&float_repr(*x)),
            PyValue::Str(s) => f.write_str(&str_repr(s)),
            PyValue::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            PyValue::Dict(map) => write_dict(f, map.iter()),
        }
    }
}

/// Writes `{'key': value, ...}` like Python's dict repr.
pub(crate) fn write_dict<'a, K, V>(
    f: &mut impl fmt::Write,
    entries: impl Iterator<Item = (K, &'a V)>,
) -> fmt::Result
where
    K: AsRef<str>,
    V: fmt::Display + 'a,
{
    f.write_str("{")?;
    for (i, (key, value)) in entries.enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{}: {value}", str_repr(key.as_ref()))?;
    }
    f.write_str("}")
}

impl From<bool> for PyValue {
    fn from(v: bool) -> Self {
        PyValue::Bool(v)
    }
}

impl From<i64> for PyValue {
    fn from(v: i64) -> Self {
        PyValue::Int(v)
    }
}

impl From<i32> for PyValue {
    fn from(v: i32) -> Self {
        PyValue::Int(v.into())
    }
}

impl From<f64> for PyValue {
    fn from(v: f64) -> Self {
        PyValue::Float(v)
    }
}

impl From<&str> for PyValue {
    fn from(v: &str) -> Self {
        PyValue::Str(v.to_string())
    }
}

impl From<String> for PyValue {
    fn from(v: String) -> Self {
        PyValue::Str(v)
    }
}

impl<T: Into<PyValue>> From<Option<T>> for PyValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(PyValue::None, Into::into)
    }
}

impl<T: Into<PyValue>> From<Vec<T>> for PyValue {
    fn from(v: Vec<T>) -> Self {
        PyValue::List(v.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<PyValue>, const N: usize> From<[T; N]> for PyValue {
    fn from(v: [T; N]) -> Self {
        PyValue::List(v.into_iter().map(Into::into).collect())
    }
}

impl<'de> Deserialize<'de> for PyValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PyValueVisitor)
    }
}

/// Builds a [`PyValue`] from any self-describing format, keeping map order.
struct PyValueVisitor;

impl<'de> Visitor<'de> for PyValueVisitor {
    type Value = PyValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML/JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<PyValue, E> {
        Ok(PyValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<PyValue, E> {
        Ok(PyValue::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<PyValue, E> {
        i64::try_from(v)
            .map(PyValue::Int)
            .map_err(|_| E::custom(format!("integer {v} is too large")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<PyValue, E> {
        Ok(PyValue::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<PyValue, E> {
        Ok(PyValue::Str(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<PyValue, E> {
        Ok(PyValue::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<PyValue, E> {
        Ok(PyValue::None)
    }

    fn visit_none<E: de::Error>(self) -> Result<PyValue, E> {
        Ok(PyValue::None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<PyValue, D::Error> {
        PyValue::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PyValue, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(PyValue::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PyValue, A::Error> {
        let mut dict = IndexMap::new();
        while let Some((key, value)) = map.next_entry::<PyValue, PyValue>()? {
            // Python's dict keeps a repeated key at its first position with the last value.
            let key = match key {
                PyValue::Str(s) => s,
                other => other.to_string(),
            };
            dict.insert(key, value);
        }
        Ok(PyValue::Dict(dict))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_python_repr() {
        let cases = [
            (1.0, "1.0"),
            (25.0, "25.0"),
            (0.5, "0.5"),
            (-3.25, "-3.25"),
            (0.1, "0.1"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1.5e-7, "1.5e-07"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1.25e17, "1.25e+17"),
            (123456.789, "123456.789"),
            (1e100, "1e+100"),
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (f64::NAN, "nan"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for (x, want) in cases {
            assert_eq!(float_repr(x), want, "{x:e}");
        }
    }

    #[test]
    fn strings_print_like_python_repr() {
        assert_eq!(str_repr("sitkBSpline"), "'sitkBSpline'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a'b\"c"), "'a\\'b\"c'");
        assert_eq!(str_repr("a\\b\n"), "'a\\\\b\\n'");
    }

    #[test]
    fn containers_print_like_python_repr() {
        let mut dict = IndexMap::new();
        dict.insert("sigma".to_string(), PyValue::from(vec![1.0, 3.0]));
        dict.insert("level".to_string(), PyValue::from(2));
        dict.insert("x".to_string(), PyValue::from(Option::<bool>::None));
        dict.insert("y".to_string(), PyValue::from(true));
        assert_eq!(
            PyValue::Dict(dict).to_string(),
            "{'sigma': [1.0, 3.0], 'level': 2, 'x': None, 'y': True}"
        );
    }

    #[test]
    fn yaml_and_json_keep_int_float_and_order() {
        let yaml: PyValue = serde_norway::from_str("b: 1\na: 1.0\nc: [1, 2.5]\nd:\n").unwrap();
        assert_eq!(
            yaml.to_string(),
            "{'b': 1, 'a': 1.0, 'c': [1, 2.5], 'd': None}"
        );
        let json: PyValue =
            serde_json::from_str(r#"{"b": 1, "a": 1.0, "c": [1, 2.5], "d": null}"#).unwrap();
        assert_eq!(json, yaml);
    }
}
