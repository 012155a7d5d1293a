# An ECS estate behind two load balancers, written as teams write it: a public ALB with an HTTP
# listener that forwards (plain HTTP to the internet) and an HTTPS one whose /admin rule asks for an
# OIDC login first; an internal ALB in front of the ledger; and a third ALB whose `internal` comes
# from a variable without a value.
variable "billing_internal" {
  type = bool
}

resource "aws_ecs_cluster" "this" {
  name = "payments"
}

resource "aws_ecs_task_definition" "portal" {
  family                   = "portal"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  container_definitions = jsonencode([{
    name         = "portal"
    image        = "ghcr.io/acme/portal:1.4.2"
    portMappings = [{ containerPort = 3000 }]
  }])
}

resource "aws_ecs_task_definition" "ledger" {
  family       = "ledger"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name         = "ledger"
    image        = "ghcr.io/acme/ledger:2.0.0"
    portMappings = [{ containerPort = 8080 }]
  }])
}

resource "aws_ecs_service" "portal" {
  name            = "portal"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.portal.arn
  launch_type     = "FARGATE"
  load_balancer {
    target_group_arn = aws_lb_target_group.portal.arn
    container_name   = "portal"
    container_port   = 3000
  }
  network_configuration {
    subnets         = ["subnet-a"]
    security_groups = ["sg-0portal"]
  }
}

resource "aws_ecs_service" "ledger" {
  name            = "ledger"
  cluster         = aws_ecs_cluster.this.id
  task_definition = aws_ecs_task_definition.ledger.arn
  launch_type     = "FARGATE"
  load_balancer {
    target_group_arn = aws_alb_target_group.ledger.arn
    container_name   = "ledger"
    container_port   = 8080
  }
}

resource "aws_lb" "public" {
  name               = "payments-public"
  load_balancer_type = "application"
  subnets            = ["subnet-a", "subnet-b"]
}

resource "aws_lb_target_group" "portal" {
  name        = "portal"
  port        = 3000
  protocol    = "HTTP"
  target_type = "ip"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.public.arn
  port              = 80
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.portal.arn
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.public.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "arn:aws:acm:eu-central-1:111122223333:certificate/1111"
  default_action {
    type = "forward"
    forward {
      target_group {
        arn = aws_lb_target_group.portal.arn
      }
    }
  }
}

resource "aws_lb_listener_rule" "admin" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 5
  action {
    type = "authenticate-oidc"
    authenticate_oidc {
      issuer                 = "https://idp.example.com"
      authorization_endpoint = "https://idp.example.com/authorize"
      token_endpoint         = "https://idp.example.com/token"
      user_info_endpoint     = "https://idp.example.com/userinfo"
      client_id              = "portal"
      client_secret          = var.client_secret
    }
  }
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.portal.arn
  }
  condition {
    path_pattern {
      values = ["/admin/*"]
    }
  }
}

resource "aws_alb" "internal" {
  name     = "payments-internal"
  internal = true
}

resource "aws_alb_target_group" "ledger" {
  name     = "ledger"
  port     = 8080
  protocol = "HTTP"
}

resource "aws_alb_listener" "ledger" {
  load_balancer_arn = aws_alb.internal.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_alb_target_group.ledger.arn
  }
}

resource "aws_lb" "billing" {
  name     = "billing"
  internal = var.billing_internal
}

resource "aws_lb_listener" "billing" {
  load_balancer_arn = aws_lb.billing.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
