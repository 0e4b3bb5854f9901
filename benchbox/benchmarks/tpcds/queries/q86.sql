-- TPC-DS Q86 (Appendix B.86): web sales of a year rolled up by item category and class, each group
-- ranked by its sales among its peers within the parent level.
-- @param DMS 1200 ~ uniform(1176, 1224)
with rolled_up as (
    select
        sum(ws_net_paid) as total_sum,
        i_category,
        i_class,
        grouping(i_category) + grouping(i_class) as lochierarchy,
        rank() over (
            partition by
                grouping(i_category) + grouping(i_class),
                case when grouping(i_class) = 0 then i_category end
            order by sum(ws_net_paid) desc
        ) as rank_within_parent
    from web_sales, date_dim, item
    where d_month_seq between ${DMS} and ${DMS} + 11
      and d_date_sk = ws_sold_date_sk
      and i_item_sk = ws_item_sk
    group by rollup (i_category, i_class)
)
select
    total_sum,
    i_category,
    i_class,
    lochierarchy,
    rank_within_parent
from rolled_up
order by
    lochierarchy desc,
    case when lochierarchy = 0 then i_category end,
    rank_within_parent
limit 100
