import { useEffect, useRef, useState } from "react";

export function useNotificationsSocket({ host, token }) {
  const wsRef = useRef(null);
  const [status, setStatus] = useState("disconnected");
  const [messages, setMessages] = useState([]);

  useEffect(() => {
    if (!token) return;

    const protocol = window.location.protocol === "https:" ? "wss" : "ws";
    const url = `${protocol}://${host}/ws/notifications/?token=${encodeURIComponent(token)}`;

    const ws = new WebSocket(url);
    wsRef.current = ws;

    ws.onopen = () => setStatus("connected");
    ws.onclose = () => setStatus("disconnected");
    ws.onerror = () => setStatus("error");
    ws.onmessage = (event) => {
      try {
        const data = JSON.parse(event.data);
        setMessages((prev) => [...prev, data]);
      } catch (e) {
        // ignore non-JSON
      }
    };

    return () => {
      ws.close();
    };
  }, [host, token]);

  return { status, messages };
}
