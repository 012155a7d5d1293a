package web

const sample = `FROM alpine
ENV DB_PASSWORD=hunter2hunter2
ENV CART_HOST=cart`
