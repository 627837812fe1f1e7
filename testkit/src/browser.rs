//! A browser's view of the console API: a session cookie and its anti-forgery token.
use crate::server::TestServer;
use crate::tokens::ADMIN;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub const PASSWORD: &str = "mật-khẩu-đủ-dài-1";

/// Creates an account with the administrator's token.
pub async fn create_account(s: &TestServer, login: &str, role: &str, counters: &[&str]) {
    let r = s
        .http()
        .post(s.api("/admin/accounts"))
        .bearer_auth(ADMIN)
        .json(&json!({"login": login, "name": format!("Cán bộ {login}"), "role": role, "counters": counters, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
}

pub struct Browser {
    pub base: String,
    pub cookie: Option<String>,
    /// The whole `Set-Cookie` of the last sign-in (its attributes: HttpOnly, Secure...).
    pub set_cookie: Option<String>,
    pub csrf: Option<String>,
    http: reqwest::Client,
}

impl Browser {
    pub fn new(s: &TestServer) -> Browser {
        Browser { http: s.http(), ..Browser::at(&s.url) }
    }

    /// A browser of the server at `url` (one started as a child process, say).
    pub fn at(url: &str) -> Browser {
        Browser { base: url.trim_end_matches('/').to_owned(), cookie: None, set_cookie: None, csrf: None, http: reqwest::Client::new() }
    }

    /// Signs in; answers the status and body (the session on success).
    pub async fn sign_in(&mut self, login: &str, password: &str) -> (StatusCode, Value) {
        let r = self
            .http
            .post(format!("{}/api/v1/session", self.base))
            .json(&json!({"login": login, "password": password}))
            .send()
            .await
            .unwrap();
        let status = r.status();
        if let Some(c) = r.headers().get("set-cookie") {
            let c = c.to_str().unwrap();
            assert!(c.contains("HttpOnly") && c.contains("SameSite=Strict"), "{c}");
            self.cookie = Some(c.split(';').next().unwrap().to_owned());
            self.set_cookie = Some(c.to_owned());
        }
        let body: Value = r.json().await.unwrap_or(Value::Null);
        if status.is_success() {
            self.csrf = body["csrf"].as_str().map(str::to_owned);
        }
        (status, body)
    }

    /// A request with the cookie and, unless `csrf` is false, the anti-forgery header.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>, csrf: bool) -> (StatusCode, Value) {
        let mut req = self.http.request(method, format!("{}/api/v1{path}", self.base));
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        if let (true, Some(t)) = (csrf, &self.csrf) {
            req = req.header("x-csrf-token", t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.send().await.unwrap();
        let status = r.status();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None, false).await
    }
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body), true).await
    }
    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::PUT, path, Some(body), true).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::PATCH, path, Some(body), true).await
    }
    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::DELETE, path, None, true).await
    }
}
