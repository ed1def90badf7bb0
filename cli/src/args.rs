//! A small hand-rolled argument reader: `--opt VALUE`, `--opt=VALUE`, `-o VALUE`, `--` ends
//! options. Enough for two commands without a dependency.

/// A command-line mistake, reported with the usage text and exit status 2.
#[derive(Debug)]
pub struct ArgError(pub String);

pub struct Args<'a> {
    argv: &'a [String],
    pos: usize,
    /// The value glued to the last option with '=' (`--chunk=4096`).
    pending: Option<String>,
    double_dash: bool,
}

impl<'a> Args<'a> {
    pub fn new(argv: &'a [String]) -> Self {
        Args {
            argv,
            pos: 0,
            pending: None,
            double_dash: false,
        }
    }

    /// The next argument; options with `=VALUE` are split. After `--` every argument is
    /// returned as it is (see [`Args::after_double_dash`]).
    pub fn next_arg(&mut self) -> Result<Option<String>, ArgError> {
        if let Some(v) = self.pending.take() {
            return Err(ArgError(format!("unexpected value '{v}'")));
        }
        let Some(arg) = self.argv.get(self.pos) else {
            return Ok(None);
        };
        self.pos += 1;
        if self.double_dash {
            return Ok(Some(arg.clone()));
        }
        if arg == "--" {
            self.double_dash = true;
            return self.next_arg();
        }
        if let Some((name, value)) = arg.split_once('=').filter(|_| arg.starts_with("--")) {
            self.pending = Some(value.to_string());
            return Ok(Some(name.to_string()));
        }
        Ok(Some(arg.clone()))
    }

    /// True once `--` was seen: what follows are file names, even if they start with '-'.
    pub fn after_double_dash(&self) -> bool {
        self.double_dash
    }

    /// The value of option `opt`: glued with '=' or the next argument.
    pub fn value(&mut self, opt: &str) -> Result<String, ArgError> {
        if let Some(v) = self.pending.take() {
            return Ok(v);
        }
        let v = self
            .argv
            .get(self.pos)
            .ok_or_else(|| ArgError(format!("option '{opt}' needs a value")))?;
        self.pos += 1;
        Ok(v.clone())
    }
}

/// A byte count: digits with an optional K/KiB/M/MiB suffix (powers of 1024). Must be > 0.
pub fn parse_size(opt: &str, v: &str) -> Result<usize, ArgError> {
    let bad = || {
        ArgError(format!(
            "option '{opt}' takes a size in bytes (like 16384 or 16K), not '{v}'"
        ))
    };
    let digits_end = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let (num, suffix) = v.split_at(digits_end);
    let n: usize = num.parse().map_err(|_| bad())?;
    let mult = match suffix {
        "" | "B" => 1,
        "K" | "k" | "KiB" | "KB" | "kB" => 1 << 10,
        "M" | "m" | "MiB" | "MB" => 1 << 20,
        _ => return Err(bad()),
    };
    match n.checked_mul(mult) {
        Some(0) => Err(ArgError(format!("option '{opt}' must be at least 1 byte"))),
        Some(n) => Ok(n),
        None => Err(bad()),
    }
}

/// A positive integer option value.
pub fn parse_count(opt: &str, v: &str) -> Result<usize, ArgError> {
    match v.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(ArgError(format!(
            "option '{opt}' takes a positive integer, not '{v}'"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("--chunk", "100").unwrap(), 100);
        assert_eq!(parse_size("--chunk", "16K").unwrap(), 16384);
        assert_eq!(parse_size("--chunk", "64KiB").unwrap(), 65536);
        assert_eq!(parse_size("--chunk", "1M").unwrap(), 1 << 20);
        for bad in ["", "0", "K", "12Q", "-5", "99999999999999999999999"] {
            assert!(parse_size("--chunk", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn equals_values_and_double_dash() {
        let argv: Vec<String> = ["--chunk=5", "-o", "x", "--", "-1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut a = Args::new(&argv);
        assert_eq!(a.next_arg().unwrap().as_deref(), Some("--chunk"));
        assert_eq!(a.value("--chunk").unwrap(), "5");
        assert_eq!(a.next_arg().unwrap().as_deref(), Some("-o"));
        assert_eq!(a.value("-o").unwrap(), "x");
        assert_eq!(a.next_arg().unwrap().as_deref(), Some("-1"));
        assert!(a.after_double_dash());
        assert_eq!(a.next_arg().unwrap(), None);
        // A flag given a value it does not take.
        let argv: Vec<String> = vec!["--json=yes".into()];
        let mut a = Args::new(&argv);
        a.next_arg().unwrap();
        assert!(a.next_arg().is_err());
    }
}
